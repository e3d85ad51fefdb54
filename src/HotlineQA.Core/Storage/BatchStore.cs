using Dapper;

namespace HotlineQA.Storage;

/// <summary>One call that failed in a batch, with its reason (shown by <c>hotlineqa batch status</c> and the UI).</summary>
public sealed record BatchFailure(long CallId, string CallKey, string? Reason);

/// <summary>A row of <c>batch_runs</c>: what a night's run found and how far its calls got.</summary>
public sealed record BatchRun
{
    public long Id { get; init; }
    public string Trigger { get; init; } = "";
    /// <summary><c>running</c>, <c>paused</c> (cutoff reached with work left; the next night resumes it) or <c>done</c>.</summary>
    public string Status { get; init; } = "running";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CutoffAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public int Found { get; init; }
    public int NewCalls { get; init; }
    public int Duplicate { get; init; }
    public int Rejected { get; init; }
    /// <summary>Unfinished calls of earlier batches this run took over.</summary>
    public int Adopted { get; init; }
    public int Total { get; init; }
    public int Scored { get; init; }
    public int Failed { get; init; }
    public int Unfinished { get; init; }
    public double? CallsPerHour { get; init; }
    public string FailuresJson { get; init; } = "[]";
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The failed calls with their reasons, read from <see cref="FailuresJson"/>.</summary>
    public IReadOnlyList<BatchFailure> Failures() =>
        System.Text.Json.JsonSerializer.Deserialize<List<BatchFailure>>(FailuresJson, Common.HotlineJson.Options) ?? [];
}

// A nullable timestamp as a column: Dapper hands a bare scalar NULL to the DateTimeOffset handler, a member it sets to null.
internal sealed record Moment(DateTimeOffset? Value);

public sealed class BatchStore(HotlineDatabase db, TimeProvider clock)
{
    private const string Columns = """
        id, trigger, status, started_at, cutoff_at, finished_at, found, new_calls, duplicate, rejected, adopted, total,
        scored, failed, unfinished, calls_per_hour, failures_json, updated_at
        """;

    public async Task<long> StartAsync(string trigger, DateTimeOffset? cutoffAt, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var now = clock.GetUtcNow();
        return await c.QuerySingleAsync<long>(new CommandDefinition("""
            INSERT INTO batch_runs (trigger, status, started_at, cutoff_at, updated_at)
            VALUES (@trigger, 'running', @now, @cutoffAt, @now) RETURNING id
            """, new { trigger, now, cutoffAt }, cancellationToken: ct));
    }

    /// <summary>Ties registered calls to the batch (a recording registered earlier by hand keeps its own history).</summary>
    public async Task AssignAsync(long batchId, IReadOnlyCollection<long> callIds, CancellationToken ct = default)
    {
        if (callIds.Count == 0) return;
        await db.InTransactionAsync(async (c, tx) =>
        {
            foreach (var chunk in callIds.Chunk(500))
                await c.ExecuteAsync(new CommandDefinition(
                    $"UPDATE calls SET batch_id = @batchId, not_before = NULL WHERE id IN ({string.Join(",", chunk)}) AND status NOT IN ('scored','failed')",
                    new { batchId }, tx, cancellationToken: ct));
        }, ct);
    }

    /// <summary>Takes over the unfinished calls of earlier batches (deferred at their cutoff); returns how many.</summary>
    public async Task<int> AdoptUnfinishedAsync(long batchId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition("""
            UPDATE calls SET batch_id = @batchId, not_before = NULL, queued_at = NULL, updated_at = @now
            WHERE batch_id IS NOT NULL AND batch_id <> @batchId AND status IN ('pending','audio','transcribing','scoring')
            """, new { batchId, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task SetIngestCountsAsync(long batchId, int found, int newCalls, int duplicate, int rejected, int adopted, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE batch_runs SET found = @found, new_calls = @newCalls, duplicate = @duplicate, rejected = @rejected, adopted = @adopted, updated_at = @now
            WHERE id = @batchId
            """, new { batchId, found, newCalls, duplicate, rejected, adopted, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>Unfinished calls of a batch in the order they should run.</summary>
    public async Task<IReadOnlyList<(long Id, string Status)>> ListUnfinishedAsync(long batchId, string orderBy, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<(long, string)>(new CommandDefinition($"""
            SELECT id, status FROM calls
            WHERE batch_id = @batchId AND status IN ('pending','audio','transcribing','scoring')
            ORDER BY {orderBy}
            """, new { batchId }, cancellationToken: ct))).ToList();
    }

    public async Task<DateTimeOffset?> CutoffOfAsync(long batchId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<Moment>(new CommandDefinition(
            "SELECT cutoff_at AS value FROM batch_runs WHERE id = @batchId", new { batchId }, cancellationToken: ct)))?.Value;
    }

    /// <summary>Recounts a batch from its calls and stores the summary; a batch with nothing left is marked done.</summary>
    public async Task<BatchRun?> RefreshAsync(long batchId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var c = await db.OpenAsync(ct);
        var run = await c.QuerySingleOrDefaultAsync<BatchRun>(new CommandDefinition(
            $"SELECT {Columns} FROM batch_runs WHERE id = @batchId", new { batchId }, cancellationToken: ct));
        if (run is null) return null;
        var counts = (await c.QueryAsync<(string Status, long N)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM calls WHERE batch_id = @batchId GROUP BY status", new { batchId }, cancellationToken: ct)))
            .ToDictionary(r => r.Status, r => (int)r.N);
        var failures = (await c.QueryAsync<BatchFailure>(new CommandDefinition(
            "SELECT id AS call_id, call_key, error AS reason FROM calls WHERE batch_id = @batchId AND status = 'failed' ORDER BY id LIMIT 1000",
            new { batchId }, cancellationToken: ct))).ToList();
        var lastDone = (await c.QuerySingleAsync<Moment>(new CommandDefinition(
            "SELECT MAX(updated_at) AS value FROM calls WHERE batch_id = @batchId AND status IN ('scored','failed')", new { batchId }, cancellationToken: ct))).Value;
        var scored = counts.GetValueOrDefault(CallStatus.Scored);
        var failed = counts.GetValueOrDefault(CallStatus.Failed);
        var total = counts.Values.Sum();
        var unfinished = total - scored - failed;
        var hours = lastDone is { } l ? (l - run.StartedAt).TotalHours : 0;
        double? perHour = hours > 0 ? (scored + failed) / hours : null;
        var status = unfinished == 0 ? "done" : run.CutoffAt is { } cut && now >= cut ? "paused" : "running";
        DateTimeOffset? finished = status == "done" ? run.FinishedAt ?? lastDone ?? now : null;
        var json = System.Text.Json.JsonSerializer.Serialize(failures, Common.HotlineJson.Options);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE batch_runs SET status = @status, total = @total, scored = @scored, failed = @failed, unfinished = @unfinished,
                                  calls_per_hour = @perHour, failures_json = @json, finished_at = @finished, updated_at = @now
            WHERE id = @batchId
            """, new { batchId, status, total, scored, failed, unfinished, perHour, json, finished, now }, cancellationToken: ct));
        return run with
        {
            Status = status, Total = total, Scored = scored, Failed = failed, Unfinished = unfinished, CallsPerHour = perHour,
            FailuresJson = json, FinishedAt = finished, UpdatedAt = now,
        };
    }

    /// <summary>Batches not yet done (kept up to date every 10 s by every process with workers).</summary>
    public async Task<IReadOnlyList<long>> ListOpenAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM batch_runs WHERE status <> 'done' ORDER BY id", cancellationToken: ct))).ToList();
    }

    public async Task<IReadOnlyList<BatchRun>> ListAsync(int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<BatchRun>(new CommandDefinition(
            $"SELECT {Columns} FROM batch_runs ORDER BY id DESC LIMIT @limit", new { limit }, cancellationToken: ct))).ToList();
    }

    /// <summary>The summaries of the last <paramref name="limit"/> runs, newest first (what <c>batch status</c> and the UI
    /// show): a run not yet done is counted afresh, a finished one keeps its stored summary.</summary>
    public async Task<IReadOnlyList<BatchRun>> SummariesAsync(int limit, CancellationToken ct = default)
    {
        var runs = new List<BatchRun>();
        foreach (var r in await ListAsync(limit, ct))
            runs.Add(r.Status == "done" ? r : await RefreshAsync(r.Id, ct) ?? r);
        return runs;
    }
}
