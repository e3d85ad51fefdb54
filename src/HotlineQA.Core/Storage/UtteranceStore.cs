using System.Data.Common;
using Dapper;
using HotlineQA.Transcription;

namespace HotlineQA.Storage;

public sealed record UtteranceRow
{
    public long CallId { get; init; }
    public int Idx { get; init; }
    public string Speaker { get; init; } = Speakers.Unknown;
    public double StartSec { get; init; }
    public double EndSec { get; init; }
    public string Text { get; init; } = "";
    public double? Confidence { get; init; }
}

/// <summary>The transcript of a call, one row per utterance in transcript order.</summary>
public sealed class UtteranceStore(HotlineDatabase db)
{
    /// <summary>Inside a step's transaction: the call's utterances become exactly <paramref name="utterances"/> (re-running replaces, never duplicates).</summary>
    public async Task ReplaceAsync(DbConnection c, DbTransaction tx, long callId, IReadOnlyList<Utterance> utterances, CancellationToken ct = default)
    {
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM utterances WHERE call_id = @callId", new { callId }, tx, cancellationToken: ct));
        if (utterances.Count == 0) return;
        await MultiRowInsert.ExecuteAsync(c, tx, "INSERT INTO utterances (call_id, idx, speaker, start_sec, end_sec, text, confidence)", "",
            utterances.Select((u, i) => (u, i)).ToList(), ct,
            ("c", _ => callId), ("i", x => x.i), ("s", x => x.u.Speaker), ("b", x => x.u.Start), ("e", x => x.u.End),
            ("t", x => x.u.Text), ("p", x => x.u.Confidence));
    }

    public async Task ReplaceAsync(long callId, IReadOnlyList<Utterance> utterances, CancellationToken ct = default) =>
        await db.InTransactionAsync((c, tx) => ReplaceAsync(c, tx, callId, utterances, ct), ct);

    public async Task<IReadOnlyList<UtteranceRow>> ListAsync(long callId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<UtteranceRow>(new CommandDefinition("""
            SELECT call_id, idx, speaker, start_sec, end_sec, text, confidence
            FROM utterances WHERE call_id = @callId ORDER BY idx
            """, new { callId }, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>The stored transcript in CONTRACTS §1 shape, as the score step and the call page read it.</summary>
    public async Task<Transcript> LoadTranscriptAsync(CallRow call, CancellationToken ct = default)
    {
        var rows = await ListAsync(call.Id, ct);
        return new Transcript
        {
            CallId = call.CallKey,
            DurationSec = call.DurationSec,
            Channels = call.Channels,
            Utterances = rows.Select(r => new Utterance
            {
                Speaker = r.Speaker, Start = r.StartSec, End = r.EndSec, Text = r.Text, Confidence = r.Confidence,
            }).ToList(),
        };
    }
}
