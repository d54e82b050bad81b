using System.Globalization;
using System.Numerics;
using System.Text;

namespace Pottery;

/// <summary>A strict reader of the JSON Python's <c>json.loads</c> accepts; <see cref="PotteryJson"/> is the public face.</summary>
internal ref struct PotteryJsonReader
{
    private readonly ReadOnlySpan<char> _text;
    private int _position;
    private int _depth;

    public PotteryJsonReader(ReadOnlySpan<char> text)
    {
        _text = text;
        _position = 0;
        _depth = 0;
    }

    public object? ReadDocument()
    {
        SkipWhitespace();
        var value = ReadValue();
        SkipWhitespace();
        return _position == _text.Length ? value : throw Error("unexpected text after the value");
    }

    private object? ReadValue()
    {
        if (_position >= _text.Length)
        {
            throw Error("a value is missing");
        }

        return _text[_position] switch
        {
            '{' => ReadObject(),
            '[' => ReadArray(),
            '"' => ReadString(),
            't' => ReadLiteral("true", true),
            'f' => ReadLiteral("false", false),
            'n' => ReadLiteral("null", null),
            'N' => ReadLiteral("NaN", double.NaN),
            'I' => ReadLiteral("Infinity", double.PositiveInfinity),
            '-' when _text[_position..].StartsWith("-Infinity") => ReadLiteral("-Infinity", double.NegativeInfinity),
            '-' or (>= '0' and <= '9') => ReadNumber(),
            _ => throw Error($"unexpected character '{_text[_position]}'"),
        };
    }

    private Dictionary<string, object?> ReadObject()
    {
        Enter();
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        _position++;
        SkipWhitespace();
        if (TryConsume('}'))
        {
            _depth--;
            return result;
        }

        while (true)
        {
            SkipWhitespace();
            if (_position >= _text.Length || _text[_position] != '"')
            {
                throw Error("an object key must be a string in double quotes");
            }

            var key = ReadString();
            SkipWhitespace();
            Expect(':');
            SkipWhitespace();
            // Python keeps the last of repeated keys.
            result[key] = ReadValue();
            SkipWhitespace();
            if (TryConsume('}'))
            {
                _depth--;
                return result;
            }

            Expect(',');
        }
    }

    private List<object?> ReadArray()
    {
        Enter();
        var result = new List<object?>();
        _position++;
        SkipWhitespace();
        if (TryConsume(']'))
        {
            _depth--;
            return result;
        }

        while (true)
        {
            SkipWhitespace();
            result.Add(ReadValue());
            SkipWhitespace();
            if (TryConsume(']'))
            {
                _depth--;
                return result;
            }

            Expect(',');
        }
    }

    private string ReadString()
    {
        _position++;
        var result = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error("the string is not closed");
            }

            var c = _text[_position++];
            switch (c)
            {
                case '"':
                    return result.ToString();
                case '\\':
                    result.Append(ReadEscape());
                    break;
                case < ' ':
                    throw Error("control characters must be escaped inside strings");
                default:
                    result.Append(c);
                    break;
            }
        }
    }

    private char ReadEscape()
    {
        if (_position >= _text.Length)
        {
            throw Error("the escape is not finished");
        }

        var c = _text[_position++];
        switch (c)
        {
            case '"' or '\\' or '/':
                return c;
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                if (_position + 4 > _text.Length
                    || !ushort.TryParse(_text.Slice(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit))
                {
                    throw Error("\\u needs four hex digits");
                }

                _position += 4;
                return (char)unit;
            default:
                throw Error($"invalid escape '\\{c}'");
        }
    }

    private object ReadNumber()
    {
        var start = _position;
        TryConsume('-');
        if (TryConsume('0'))
        {
            // Python, like JSON, reads "01" as 0 followed by garbage.
        }
        else if (!ConsumeDigits())
        {
            throw Error("a number needs digits");
        }

        var integral = true;
        if (TryConsume('.'))
        {
            integral = false;
            if (!ConsumeDigits())
            {
                throw Error("a fraction needs digits");
            }
        }

        if (_position < _text.Length && (_text[_position] == 'e' || _text[_position] == 'E'))
        {
            integral = false;
            _position++;
            _ = TryConsume('+') || TryConsume('-');
            if (!ConsumeDigits())
            {
                throw Error("an exponent needs digits");
            }
        }

        var number = _text[start.._position];
        if (!integral)
        {
            return double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var small)
            ? (object)small
            : BigInteger.Parse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    private bool ConsumeDigits()
    {
        var start = _position;
        while (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
        {
            _position++;
        }

        return _position > start;
    }

    private object? ReadLiteral(string literal, object? value)
    {
        if (!_text[_position..].StartsWith(literal))
        {
            throw Error("unknown literal");
        }

        _position += literal.Length;
        return value;
    }

    private void Enter()
    {
        if (++_depth > PotteryJson.MaxDepth)
        {
            throw Error($"nested more than {PotteryJson.MaxDepth} levels deep");
        }
    }

    private void SkipWhitespace()
    {
        while (_position < _text.Length && _text[_position] is ' ' or '\t' or '\n' or '\r')
        {
            _position++;
        }
    }

    private bool TryConsume(char expected)
    {
        if (_position < _text.Length && _text[_position] == expected)
        {
            _position++;
            return true;
        }

        return false;
    }

    private void Expect(char expected)
    {
        if (!TryConsume(expected))
        {
            throw Error($"expected '{expected}'");
        }
    }

    private readonly FormatException Error(string what) => new($"Invalid JSON at character {_position}: {what}.");
}
