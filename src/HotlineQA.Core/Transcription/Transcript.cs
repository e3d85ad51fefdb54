using System.Text.Json;
using System.Text.Json.Serialization;
using HotlineQA.Common;

namespace HotlineQA.Transcription;

/// <summary>Transcript JSON of CONTRACTS.md §1. Extra producer fields (<c>confidence</c>, <c>words</c>, <c>tokens</c>) are allowed.</summary>
public sealed record Transcript
{
    public string? CallId { get; init; }
    public string? Language { get; init; }
    public double? DurationSec { get; init; }
    public int? Channels { get; init; }
    public IReadOnlyList<Utterance> Utterances { get; init; } = [];

    /// <summary>The call's length: <see cref="DurationSec"/> if given, else the end of the last utterance.</summary>
    [JsonIgnore]
    public double EffectiveDuration => DurationSec ?? (Utterances.Count == 0 ? 0 : Utterances.Max(u => u.End));

    public static Transcript Load(string path)
    {
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new BadInputException($"{path}: cannot read the transcript ({e.Message})", e); }
        var t = Parse(json, path);
        return t.CallId is null ? t with { CallId = BaseName(path) } : t;
    }

    public static Transcript Parse(string json, string source)
    {
        Transcript? t;
        try { t = JsonSerializer.Deserialize<Transcript>(json, HotlineJson.Options); }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path[2..]}";
            throw new BadInputException($"{source}: not a valid transcript JSON{field} (line {e.LineNumber + 1}: {e.Message.Split(". ")[0].TrimEnd('.')})", e);
        }
        if (t is null) throw new BadInputException($"{source}: the transcript is empty");
        t.Validate(source);
        return t;
    }

    /// <summary>The longest call a transcript may describe (24 hours): a longer time is a broken producer, not a call.</summary>
    public const double MaxSeconds = 24 * 3600;

    /// <summary>Checks what the scorer relies on, naming the field (<c>utterances[3].end</c>), never an utterance's text.
    /// Every number must be finite and in range: an <c>end</c> of <c>1e309</c> reads as infinity and would otherwise
    /// reach the scorer and the database.</summary>
    public void Validate(string source)
    {
        if (Utterances is null) throw new BadInputException($"{source}: 'utterances' is missing");
        if (DurationSec is { } duration) Seconds(source, "durationSec", duration);
        if (Channels is not (null or 1 or 2)) throw new BadInputException($"{source}: channels must be 1 or 2, not {Channels}");
        for (var i = 0; i < Utterances.Count; i++)
        {
            var u = Utterances[i];
            if (u is null) throw new BadInputException($"{source}: utterances[{i}] is null");
            if (u.Speaker is not (Speakers.Agent or Speakers.Customer or Speakers.Unknown))
                throw new BadInputException($"{source}: utterance {i} has speaker '{u.Speaker}'; expected agent, customer or unknown");
            Seconds(source, $"utterances[{i}].start", u.Start);
            Seconds(source, $"utterances[{i}].end", u.End);
            if (u.End < u.Start)
                throw new BadInputException($"{source}: utterances[{i}].end ({Num(u.End)}) is before its start ({Num(u.Start)})");
            if (u.Confidence is { } c && !(double.IsFinite(c) && c is >= 0 and <= 1))
                throw new BadInputException($"{source}: utterances[{i}].confidence must be between 0 and 1, not {Num(c)}");
            if (u.Text is null) throw new BadInputException($"{source}: utterances[{i}].text is missing");
        }
    }

    private static void Seconds(string source, string field, double value)
    {
        if (!double.IsFinite(value)) throw new BadInputException($"{source}: {field} is not a finite number ({Num(value)})");
        if (value < 0) throw new BadInputException($"{source}: {field} is negative ({Num(value)})");
        if (value > MaxSeconds) throw new BadInputException($"{source}: {field} is {Num(value)} s, more than 24 hours");
    }

    private static string Num(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"call123.transcript.json" → "call123"; "call123.wav" → "call123".</summary>
    public static string BaseName(string path)
    {
        var name = Path.GetFileName(path);
        if (name.EndsWith(".transcript.json", StringComparison.OrdinalIgnoreCase)) return name[..^".transcript.json".Length];
        return Path.GetFileNameWithoutExtension(name);
    }
}

public sealed record Utterance
{
    public string Speaker { get; init; } = Speakers.Unknown;
    public double Start { get; init; }
    public double End { get; init; }
    public string Text { get; init; } = "";
    /// <summary>0–1, from the recogniser's token probabilities; null for a sidecar that gives none.</summary>
    public double? Confidence { get; init; }
}

public static class Speakers
{
    public const string Agent = "agent";
    public const string Customer = "customer";
    public const string Unknown = "unknown";
}
