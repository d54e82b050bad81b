// Each test here runs a full Release build (AOT publish, pack); on a 2-core machine two at once only
// slow each other down and push the rest of the suite past its deadlines.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
