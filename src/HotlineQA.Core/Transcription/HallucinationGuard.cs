using System.Globalization;
using System.Reflection;
using System.Text;

namespace HotlineQA.Transcription;

/// <summary>
/// Drops what Whisper makes up rather than hears: the phantom phrases of <c>phantom-phrases.txt</c> (subtitle
/// credits, "like and subscribe") and repetition loops (one short unit repeated over and over).
/// </summary>
public sealed class HallucinationGuard
{
    /// <summary>A unit of up to this many characters repeated at least <see cref="LoopRepeats"/> times in a row is a loop.</summary>
    public const int LoopUnitMax = 10;
    public const int LoopRepeats = 4;

    private readonly string[] _phrases;

    public HallucinationGuard(IEnumerable<string> phrases) =>
        _phrases = phrases.Select(Normalize).Where(p => p.Length > 0).Distinct().OrderByDescending(p => p.Length).ToArray();

    public static HallucinationGuard Default { get; } = new(LoadDefaultPhrases());

    public static IEnumerable<string> LoadDefaultPhrases()
    {
        var asm = typeof(HallucinationGuard).Assembly;
        var name = asm.GetManifestResourceNames().Single(n => n.EndsWith("phantom-phrases.txt", StringComparison.Ordinal));
        using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s, Encoding.UTF8);
        return r.ReadToEnd().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
    }

    /// <summary>The text to keep, or null when nothing real is left.</summary>
    public string? Clean(string text)
    {
        var t = CollapseLoops(text.Trim());
        var norm = Normalize(t);
        foreach (var p in _phrases)
        {
            if (!norm.Contains(p, StringComparison.Ordinal)) continue;
            norm = norm.Replace(p, "", StringComparison.Ordinal);
            t = RemoveLoose(t, p);
        }
        return norm.Length == 0 ? null : t.Trim();
    }

    /// <summary>Keeps one copy of any unit of 1–10 characters repeated 4 or more times in a row.</summary>
    public static string CollapseLoops(string text)
    {
        var sb = new StringBuilder(text);
        for (var unit = 1; unit <= LoopUnitMax; unit++)
        {
            for (var i = 0; i + unit * LoopRepeats <= sb.Length; i++)
            {
                var reps = 1;
                while (i + (reps + 1) * unit <= sb.Length && Same(sb, i, i + reps * unit, unit)) reps++;
                if (reps >= LoopRepeats) sb.Remove(i + unit, (reps - 1) * unit);
            }
        }
        return sb.ToString();
    }

    private static bool Same(StringBuilder sb, int a, int b, int n)
    {
        for (var k = 0; k < n; k++) if (sb[a + k] != sb[b + k]) return false;
        return true;
    }

    /// <summary>Lower case, no whitespace, punctuation or symbols: how phrases are compared.</summary>
    public static string Normalize(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s)
        {
            var cat = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (char.IsWhiteSpace(ch) || char.IsPunctuation(ch) || char.IsSymbol(ch) || cat == UnicodeCategory.Format) continue;
            sb.Append(char.ToLowerInvariant(ch));
        }
        return sb.ToString();
    }

    // Cuts a phrase out of the original text, ignoring spaces and punctuation between its characters.
    private static string RemoveLoose(string text, string normPhrase)
    {
        for (var start = 0; start < text.Length; start++)
        {
            int i = start, k = 0;
            while (i < text.Length && k < normPhrase.Length)
            {
                var ch = text[i];
                if (Normalize(ch.ToString()).Length == 0) { if (k == 0) break; i++; continue; }
                if (char.ToLowerInvariant(ch) != normPhrase[k]) break;
                i++; k++;
            }
            if (k == normPhrase.Length) return text[..start] + text[i..];
        }
        return text;
    }
}
