#!/usr/bin/env python3
"""Writes three consumer projects with N model classes of 10 properties each, for scripts/generator-cost.sh:
plain (auto-properties, no generator), pottery ([RedisDict] partial properties, one class in ten with a
[Synchronize] method, Pottery's generator) and stj (the plain classes, each [JsonSerializable] on one
JsonSerializerContext, the SDK's System.Text.Json generator). All three reference the same runtime."""
import os
import sys

# (type, name): a mix of value, nullable, reference and integer/floating types the generator stores.
PROPS = [("string", "Name"), ("int", "Visits"), ("long", "Total"), ("double", "Score"), ("bool", "Active"),
         ("string?", "Email"), ("int?", "Age"), ("System.DateTime", "Created"), ("System.Guid?", "Ref"), ("decimal", "Balance")]

def project(root, runtime, generator, analyzer):
    ref = f'    <ProjectReference Include="{runtime}" />\n'
    if analyzer:
        ref += f'    <ProjectReference Include="{generator}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />\n'
    return f"""<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <GenerateDocumentationFile>true</GenerateDocumentationFile>
    <NoWarn>$(NoWarn);CS1591</NoWarn>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
    <CompilerGeneratedFilesOutputPath>generated</CompilerGeneratedFilesOutputPath>
  </PropertyGroup>
  <ItemGroup>
    <Compile Remove="generated/**" />
{ref}  </ItemGroup>
</Project>
"""

def model(i, kind):
    lines = ["namespace Cost;", ""]
    sync = kind == "pottery" and i % 10 == 0
    if kind == "pottery":
        lines.append("[Pottery.RedisDict]")
    lines.append(f"public partial class Model{i}")
    lines.append("{")
    if sync:
        lines.append("    private readonly StackExchange.Redis.IDatabase _redis = null!;")
        lines.append(f'    [Pottery.Synchronize("model{i}:{{id}}")] private int TouchCore(int id) => id;')
    for t, n in PROPS:
        if kind == "pottery":
            lines.append(f"    public partial {t} {n} {{ get; set; }}")
        else:
            init = " = \"\";" if t == "string" else ""
            lines.append(f"    public {t} {n} {{ get; set; }}{init}")
    lines.append("}")
    return "\n".join(lines) + "\n"

def main():
    out, n, repo = sys.argv[1], int(sys.argv[2]), os.path.abspath(sys.argv[3])
    runtime = os.path.join(repo, "src/Pottery.Runtime/Pottery.Runtime.csproj")
    generator = os.path.join(repo, "src/Pottery.Generators/Pottery.Generators.csproj")
    for kind in ("plain", "pottery", "stj"):
        root = os.path.join(out, kind)
        os.makedirs(os.path.join(root, "Models"), exist_ok=True)
        # An empty Directory.Build.props/targets and packages file stop the repository's own from applying.
        for f in ("Directory.Build.props", "Directory.Build.targets"):
            with open(os.path.join(out, f), "w") as h:
                h.write("<Project />\n")
        with open(os.path.join(root, f"Cost.{kind}.csproj"), "w") as h:
            h.write(project(root, runtime, generator, kind == "pottery"))
        for i in range(n):
            with open(os.path.join(root, "Models", f"Model{i}.cs"), "w") as h:
                h.write(model(i, kind))
        if kind == "stj":
            body = "\n".join(f"[System.Text.Json.Serialization.JsonSerializable(typeof(Model{i}))]" for i in range(n))
            with open(os.path.join(root, "CostJson.cs"), "w") as h:
                h.write(f"namespace Cost;\n\n{body}\ninternal sealed partial class CostJson : System.Text.Json.Serialization.JsonSerializerContext;\n")

if __name__ == "__main__":
    main()
