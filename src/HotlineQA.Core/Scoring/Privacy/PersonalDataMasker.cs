using System.Text;
using HotlineQA.Transcription;

namespace HotlineQA.Scoring.Privacy;

/// <summary>A masked personal number: where it is in the utterance's text and, estimated from the utterance's
/// times by character position, when it is spoken (so the audio clip can be beeped).</summary>
public sealed record PersonalDataSpan(int Utterance, int Start, int Length, string Kind, double StartSec, double EndSec);

public static class PersonalDataKinds
{
    public const string Phone = "phone";
    public const string IdCard = "id_card";
    public const string BankCard = "bank_card";
}

/// <summary>
/// Masks phone numbers, Chinese ID card numbers (18 characters, last may be X) and bank card numbers (16–19 digits),
/// written as digits or spoken as Chinese numerals (零〇一二三四五六七八九, 幺 for 1, 两 for 2), with spaces or
/// dashes between groups. Every digit becomes <c>*</c>; separators and the surrounding text stay.
/// </summary>
public static class PersonalDataMasker
{
    public const char MaskChar = '*';

    public static string MaskText(string text) => Mask(text, out _);

    public static string Mask(string text, out IReadOnlyList<(int Start, int Length, string Kind)> spans)
    {
        var found = new List<(int, int, string)>();
        spans = found;
        if (string.IsNullOrEmpty(text)) return text;
        StringBuilder? sb = null;
        var i = 0;
        while (i < text.Length)
        {
            if (Digit(text[i]) < 0) { i++; continue; }
            var start = i;
            var digits = new StringBuilder();
            var end = i;
            while (end < text.Length)
            {
                var d = Digit(text[end]);
                if (d >= 0) { digits.Append((char)('0' + d)); end++; continue; }
                if (IsSeparator(text[end]) && end + 1 < text.Length && Digit(text[end + 1]) >= 0 && end > start) { end++; continue; }
                break;
            }
            var hasX = false;
            if (digits.Length == 17 && end < text.Length && text[end] is 'X' or 'x' or 'Ｘ') { hasX = true; end++; }
            var kind = Classify(digits.ToString(), hasX);
            if (kind is not null)
            {
                sb ??= new StringBuilder(text);
                for (var k = start; k < end; k++)
                    if (Digit(text[k]) >= 0 || text[k] is 'X' or 'x' or 'Ｘ') sb[k] = MaskChar;
                found.Add((start, end - start, kind));
            }
            i = end;
        }
        return sb?.ToString() ?? text;
    }

    /// <summary>The transcript with every utterance masked, and the spans with their times.</summary>
    public static Transcript Mask(Transcript transcript, out IReadOnlyList<PersonalDataSpan> spans)
    {
        var all = new List<PersonalDataSpan>();
        var utterances = new List<Utterance>(transcript.Utterances.Count);
        for (var u = 0; u < transcript.Utterances.Count; u++)
        {
            var utt = transcript.Utterances[u];
            var masked = Mask(utt.Text, out var found);
            foreach (var (start, length, kind) in found)
            {
                var len = Math.Max(1, utt.Text.Length);
                var dur = utt.End - utt.Start;
                all.Add(new PersonalDataSpan(u, start, length, kind,
                    Math.Round(utt.Start + dur * start / len, 2), Math.Round(utt.Start + dur * (start + length) / len, 2)));
            }
            utterances.Add(found.Count == 0 ? utt : utt with { Text = masked });
        }
        spans = all;
        return transcript with { Utterances = utterances };
    }

    private static string? Classify(string d, bool hasX)
    {
        if (hasX) return d.Length == 17 && PlausibleBirthDate(d) ? PersonalDataKinds.IdCard : null;
        if (d.Length == 18 && PlausibleBirthDate(d)) return PersonalDataKinds.IdCard;
        if (d.Length == 11 && d[0] == '1' && d[1] >= '3') return PersonalDataKinds.Phone;
        if (d.Length == 13 && d.StartsWith("861", StringComparison.Ordinal)) return PersonalDataKinds.Phone;
        if (d.Length is >= 10 and <= 12 && d[0] == '0') return PersonalDataKinds.Phone;
        if (d.Length is >= 16 and <= 19) return PersonalDataKinds.BankCard;
        return null;
    }

    private static bool PlausibleBirthDate(string d)
    {
        var year = int.Parse(d.AsSpan(6, 4));
        var month = int.Parse(d.AsSpan(10, 2));
        var day = int.Parse(d.AsSpan(12, 2));
        return year is >= 1900 and <= 2099 && month is >= 1 and <= 12 && day is >= 1 and <= 31;
    }

    private static bool IsSeparator(char c) => c is ' ' or '-' or '—' or '－' or '\u3000' or '–';

    private static int Digit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= '０' and <= '９' => c - '０',
        '零' or '〇' => 0,
        '一' or '幺' => 1,
        '二' or '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => -1,
    };
}
