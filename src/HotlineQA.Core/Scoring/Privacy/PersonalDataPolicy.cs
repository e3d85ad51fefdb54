using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace HotlineQA.Scoring.Privacy;

/// <summary>
/// The one masking policy for text that leaves the server (web pages, the JSON API, CSV exports, clip excerpts):
/// every phone, ID-card and bank-card number that <see cref="PersonalDataMasker"/> recognises has its digits replaced
/// by <c>*</c>. The database keeps the original (scoring and the beeping of clips need to know where the numbers are);
/// only what is shown or downloaded is masked. The web host applies it to every response of these media types.
/// </summary>
public static class PersonalDataPolicy
{
    /// <summary>Media types whose bodies are masked: anything a person reads or a program copies text from.</summary>
    public static bool AppliesTo(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var media = contentType.Split(';', 2)[0].Trim();
        return media is "text/html" or "text/plain" or "text/csv" or "application/json" or "application/problem+json"
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Masks a response body of <paramref name="contentType"/> (see <see cref="AppliesTo"/>).</summary>
    public static string MaskBody(string body, string? contentType)
    {
        var media = (contentType ?? "").Split(';', 2)[0].Trim();
        return media.Contains("json", StringComparison.OrdinalIgnoreCase) ? MaskJson(body) : PersonalDataMasker.MaskText(body);
    }

    /// <summary>Masks every string value of a JSON document; numbers, property names and structure stay as they are,
    /// so the document still parses. One forward pass (reader to writer). A body that is not JSON is masked as text.</summary>
    public static string MaskJson(string json)
    {
        var input = Encoding.UTF8.GetBytes(json);
        var output = new ArrayBufferWriter<byte>(input.Length + 64);
        var changed = false;
        try
        {
            var reader = new Utf8JsonReader(input, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                    case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                    case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                    case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                    case JsonTokenType.PropertyName: writer.WritePropertyName(reader.GetString()!); break;
                    case JsonTokenType.String:
                        var s = reader.GetString()!;
                        // A content hash (contentSha256) is not speech; its digit runs are not numbers anyone said.
                        var masked = IsHexDigest(s) ? s : PersonalDataMasker.MaskText(s);
                        if (!ReferenceEquals(masked, s) && masked != s) changed = true;
                        writer.WriteStringValue(masked);
                        break;
                    case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                    case JsonTokenType.True: writer.WriteBooleanValue(true); break;
                    case JsonTokenType.False: writer.WriteBooleanValue(false); break;
                    case JsonTokenType.Null: writer.WriteNullValue(); break;
                }
            }
            writer.Flush();
        }
        catch (JsonException) { return PersonalDataMasker.MaskText(json); }
        return changed ? Encoding.UTF8.GetString(output.WrittenSpan) : json;
    }

    private static bool IsHexDigest(string s) => s.Length >= 32 && s.All(char.IsAsciiHexDigitLower);
}
