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

    /// <summary>How many matching lines make a phrase "common" on SQLite: from this many on, <see cref="ConditionAsync"/>
    /// probes each call's lines while the page is walked in order (it stops after a page) instead of collecting every
    /// matching call first (40,000 calls for a phrase in a tenth of the lines: 0.4–0.8 s at 100,000 calls, bench triage).</summary>
    public const int CommonLines = 1000;

    /// <summary>
    /// Like <see cref="Condition"/>, with the fastest shape for this phrase. SQLite: a phrase of three or more
    /// characters first counts its FTS5 matches up to <see cref="CommonLines"/> (a LIMIT-ed index read, ~1 ms); a rare
    /// phrase keeps the FTS5 list, a common one becomes a probe of the call's own lines (<c>EXISTS … u.call_id = …</c>,
    /// by the utterances' (call_id, idx) key) during the ordered walk. A phrase of one or two characters cannot use
    /// the trigram index, so it is always probed: at worst (a rare phrase) the walk reads every line once, as the
    /// scan did; a common one stops after a page. PostgreSQL keeps the pg_trgm list (fast there at every frequency).
    /// Same parameters as <see cref="Condition"/>; the same rows match either way.
    /// </summary>
    public static async Task<string> ConditionAsync(HotlineDatabase db, System.Data.Common.DbConnection c, string callId, string phrase, CancellationToken ct = default)
    {
        if (db.Dialect != SqlDialect.Sqlite) return Condition(db, callId, phrase);
        var probe = $"EXISTS (SELECT 1 FROM utterances u WHERE u.call_id = {callId} AND u.text LIKE @TextLike ESCAPE '\\')";
        if (phrase.Length < 3) return probe;
        var (fts, _) = Parameters(phrase);
        var hits = await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, new Dapper.CommandDefinition(
            $"SELECT count(*) FROM (SELECT 1 FROM utterances_fts WHERE utterances_fts MATCH @Fts LIMIT {CommonLines})", new { Fts = fts }, cancellationToken: ct));
        return hits >= CommonLines ? probe : Condition(db, callId, phrase);
    }

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
