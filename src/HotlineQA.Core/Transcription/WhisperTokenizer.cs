using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace HotlineQA.Transcription;

/// <summary>
/// Whisper's GPT-2-style byte-level BPE (<c>vocab.json</c> + <c>merges.txt</c> through Microsoft.ML.Tokenizers),
/// with the special tokens of <c>added_tokens.json</c>; timestamp tokens follow <c>&lt;|notimestamps|&gt;</c>.
/// </summary>
public sealed class WhisperTokenizer
{
    private readonly CodeGenTokenizer _bpe;
    private readonly Dictionary<string, int> _special;

    private WhisperTokenizer(CodeGenTokenizer bpe, Dictionary<string, int> special)
    {
        _bpe = bpe;
        _special = special;
        EndOfText = Special("<|endoftext|>");
        StartOfTranscript = Special("<|startoftranscript|>");
        StartOfPrev = Special("<|startofprev|>");
        Transcribe = Special("<|transcribe|>");
        Translate = Special("<|translate|>");
        NoTimestamps = Special("<|notimestamps|>");
        // Multilingual v1/v2 call it <|nocaptions|>, large-v3 <|nospeech|>.
        NoSpeech = special.TryGetValue("<|nospeech|>", out var ns) ? ns : Special("<|nocaptions|>");
        TimestampBegin = special.TryGetValue("<|0.00|>", out var ts) ? ts : NoTimestamps + 1;
        Languages = special.Where(kv => IsLanguageCode(kv.Key)).ToDictionary(kv => kv.Key[2..^2], kv => kv.Value);
    }

    public int EndOfText { get; }
    public int StartOfTranscript { get; }
    public int StartOfPrev { get; }
    public int Transcribe { get; }
    public int Translate { get; }
    public int NoTimestamps { get; }
    public int NoSpeech { get; }
    public int TimestampBegin { get; }

    /// <summary>Language code (zh, en, yue…) → its token id.</summary>
    public IReadOnlyDictionary<string, int> Languages { get; }

    public static WhisperTokenizer Load(string folder)
    {
        using var vocab = File.OpenRead(Path.Combine(folder, "vocab.json"));
        using var merges = File.OpenRead(Path.Combine(folder, "merges.txt"));
        var bpe = CodeGenTokenizer.Create(vocab, merges, addPrefixSpace: false, addBeginOfSentence: false, addEndOfSentence: false);
        var special = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(folder, "added_tokens.json")))
                      ?? throw new InvalidDataException($"{folder}/added_tokens.json is empty");
        // <|endoftext|> lives in vocab.json itself, the other control tokens in added_tokens.json.
        if (!special.ContainsKey("<|endoftext|>"))
        {
            var v = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(folder, "vocab.json")));
            if (v is not null && v.TryGetValue("<|endoftext|>", out var eot)) special["<|endoftext|>"] = eot;
        }
        return new WhisperTokenizer(bpe, special);
    }

    public int Special(string token) =>
        _special.TryGetValue(token, out var id) ? id : throw new InvalidDataException($"neither added_tokens.json nor vocab.json has {token}");

    public bool IsTimestamp(int id) => id >= TimestampBegin;

    public bool IsText(int id) => id < EndOfText;

    public double TimestampSeconds(int id) => (id - TimestampBegin) * 0.02;

    public int TimestampToken(double seconds) => TimestampBegin + (int)Math.Round(seconds / 0.02);

    public IReadOnlyList<int> Encode(string text) => _bpe.EncodeToIds(text);

    /// <summary>Text of the ordinary tokens; special and timestamp tokens are left out.</summary>
    public string Decode(IEnumerable<int> ids) => _bpe.Decode(ids.Where(IsText)) ?? "";

    private static bool IsLanguageCode(string token) =>
        token.Length is >= 5 and <= 8 && token.StartsWith("<|", StringComparison.Ordinal) && token.EndsWith("|>", StringComparison.Ordinal)
        && token[2..^2].All(char.IsAsciiLetterLower);
}
