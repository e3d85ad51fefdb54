using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HotlineQA.Scoring.Privacy;

/// <summary>
/// The one masking policy for text that leaves the server (web pages, the JSON API, CSV exports, clip excerpts):
/// every phone, ID-card and bank-card number that <see cref="PersonalDataMasker"/> recognises has its digits replaced
/// by <c>*</c>. The database keeps the original (scoring and the beeping of clips need to know where the numbers are);
/// only what is shown or downloaded is masked. The web host applies it to every response of these media types.
/// </summary>
public static class PersonalDataPolicy
{
    private static readonly JsonSerializerOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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

    /// <summary>Masks every string value of a JSON document; numbers, names and structure stay as they are, so the
    /// document still parses. A body that is not JSON is masked as text.</summary>
    public static string MaskJson(string json)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true }); }
        catch (JsonException) { return PersonalDataMasker.MaskText(json); }
        if (root is null) return json;
        var changed = false;
        root = Walk(root, ref changed);
        return changed ? root!.ToJsonString(Writer) : json;
    }

    private static bool IsHexDigest(string s) => s.Length >= 32 && s.All(char.IsAsciiHexDigitLower);

    private static JsonNode? Walk(JsonNode? node, ref bool changed)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(kv => kv.Key).ToList())
                {
                    var before = o[key];
                    var after = Walk(before, ref changed);
                    if (!ReferenceEquals(before, after)) o[key] = after;
                }
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var before = a[i];
                    var after = Walk(before, ref changed);
                    if (!ReferenceEquals(before, after)) a[i] = after;
                }
                return a;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var s = v.GetValue<string>();
                // A content hash (contentSha256) is not speech; its digit runs are not numbers anyone said.
                if (IsHexDigest(s)) return v;
                var masked = PersonalDataMasker.MaskText(s);
                if (ReferenceEquals(masked, s) || masked == s) return v;
                changed = true;
                return JsonValue.Create(masked);
            default:
                return node;
        }
    }
}
