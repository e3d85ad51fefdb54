using HotlineQA.Storage;

namespace HotlineQA.Review;

/// <summary>
/// "The call's transcript contains this phrase", for Chinese: a substring test backed by migration 0007's index —
/// FTS5 trigram on SQLite, pg_trgm GIN on PostgreSQL. No word segmentation is needed; phrases of one or two
/// characters cannot use a trigram index and are answered by a scan of the utterances (correct, slower).
/// </summary>
public static class TranscriptSearch
{
    public const int MaxLength = 100;

    /// <summary>SQL testing that <paramref name="callId"/> has an utterance containing the phrase; its parameters are
    /// <c>@TextFts</c> and <c>@TextLike</c> from <see cref="Parameters"/>.</summary>
    public static string Condition(HotlineDatabase db, string callId, string phrase) =>
        db.Dialect == SqlDialect.Sqlite && phrase.Length >= 3
            ? $"{callId} IN (SELECT u.call_id FROM utterances_fts JOIN utterances u ON u.rowid = utterances_fts.rowid WHERE utterances_fts MATCH @TextFts)"
            : $"{callId} IN (SELECT u.call_id FROM utterances u WHERE u.text LIKE @TextLike ESCAPE '\\')";

    /// <summary>The phrase as an FTS5 string (one quoted phrase, so no query syntax reaches FTS5) and as a LIKE pattern.</summary>
    public static (string? TextFts, string? TextLike) Parameters(string? phrase) => phrase is null
        ? (null, null)
        : ("\"" + phrase.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
           "%" + phrase.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%");

    /// <summary>Trims and bounds the user's phrase; null when blank.</summary>
    public static string? Normalize(string? phrase)
    {
        if (string.IsNullOrWhiteSpace(phrase)) return null;
        phrase = phrase.Trim();
        if (phrase.Length > MaxLength) throw new ArgumentException($"the search phrase is longer than {MaxLength} characters", nameof(phrase));
        return phrase;
    }
}
