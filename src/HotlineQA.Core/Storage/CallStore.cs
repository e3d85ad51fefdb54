using System.Data.Common;
using Dapper;

namespace HotlineQA.Storage;

public sealed record CallRow
{
    public long Id { get; init; }
    public string CallKey { get; init; } = "";
    public string Status { get; init; } = CallStatus.Pending;
    public string ContentSha256 { get; init; } = "";
    public long SizeBytes { get; init; }
    public string SourcePath { get; init; } = "";
    public string? SidecarPath { get; init; }
    public string? Agent { get; init; }
    public string? Queue { get; init; }
    public string? CustomerNumber { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public double? DurationSec { get; init; }
    public int? Channels { get; init; }
    public string? Error { get; init; }
    public int Attempts { get; init; }
    /// <summary>The audio step's <see cref="HotlineQA.Audio.AudioAnalysis"/> as JSON (speech, silences, overlaps).</summary>
    public string? AudioJson { get; init; }
    /// <summary>When the call's current step was handed to Hangfire; null = registered and not picked up yet.</summary>
    public DateTimeOffset? QueuedAt { get; init; }
    /// <summary>The ingest source (metadata <c>source</c>, inbox folder or <c>ingest --source</c>): picks the channel mapping <c>Audio:Sources:&lt;source&gt;</c>.</summary>
    public string? Source { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The overnight batch that registered or last adopted the call (null: ingested by hand).</summary>
    public long? BatchId { get; init; }
    /// <summary>Set when the heavy step was deferred past the batch's morning cutoff: neither the start-up recovery nor the pickup queues it before then.</summary>
    public DateTimeOffset? NotBefore { get; init; }
}

/// <summary>What ingest knows about a recording before any step has run.</summary>
public sealed record NewCall
{
    public required string CallKey { get; init; }
    public required string ContentSha256 { get; init; }
    public required long SizeBytes { get; init; }
    public required string SourcePath { get; init; }
    public string? SidecarPath { get; init; }
    public string? Agent { get; init; }
    public string? Queue { get; init; }
    public string? CustomerNumber { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public string? Source { get; init; }
}

/// <summary>A line of the call list / triage queue: the call and its most recent score, if any.</summary>
public sealed record CallSummary
{
    public long Id { get; init; }
    public string CallKey { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Agent { get; init; }
    public string? Queue { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public double? DurationSec { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public long? ScoreId { get; init; }
    public string? RubricVersion { get; init; }
    public double? Score { get; init; }
    public bool? Flagged { get; init; }
    public bool? IsComplaint { get; init; }
}

/// <summary>Filters of the call list; null means "any". Ordered flagged first, then lowest score, then newest (start time, else registration time).</summary>
public sealed record CallQuery
{
    public string? Status { get; init; }
    public bool? Flagged { get; init; }
    public string? Agent { get; init; }
    public string? Queue { get; init; }
    public DateTimeOffset? StartedFrom { get; init; }
    public DateTimeOffset? StartedTo { get; init; }
    public double? MaxScore { get; init; }
    public int Limit { get; init; } = 200;
    public int Offset { get; init; }
}

public sealed class CallStore(HotlineDatabase db, TimeProvider clock)
{
    private const string Columns = """
        id, call_key, status, content_sha256, size_bytes, source_path, sidecar_path, agent, queue, customer_number,
        started_at, duration_sec, channels, error, attempts, audio_json, queued_at, created_at, updated_at,
        batch_id, not_before, source
        """;

    /// <summary>Registers a recording once per content hash; returns the call id and whether it is new.</summary>
    public async Task<(long Id, bool Created)> RegisterAsync(NewCall call, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var now = clock.GetUtcNow();
        var id = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            INSERT INTO calls (call_key, status, content_sha256, size_bytes, source_path, sidecar_path, agent, queue,
                               customer_number, started_at, source, attempts, created_at, updated_at)
            VALUES (@CallKey, 'pending', @ContentSha256, @SizeBytes, @SourcePath, @SidecarPath, @Agent, @Queue,
                    @CustomerNumber, @StartedAt, @Source, 0, @Now, @Now)
            ON CONFLICT (content_sha256) DO NOTHING
            RETURNING id
            """, new { call.CallKey, call.ContentSha256, call.SizeBytes, call.SourcePath, call.SidecarPath, call.Agent, call.Queue,
                       call.CustomerNumber, call.StartedAt, call.Source, Now = now }, cancellationToken: ct));
        if (id is not null) return (id.Value, true);
        var existing = await c.QuerySingleAsync<long>(new CommandDefinition(
            "SELECT id FROM calls WHERE content_sha256 = @ContentSha256", new { call.ContentSha256 }, cancellationToken: ct));
        return (existing, false);
    }

    /// <summary>
    /// A duplicate recording that brings a sidecar transcript gives it to a call that has none yet (e.g. the bare
    /// copy of a recording was ingested first). True when attached.
    /// </summary>
    public async Task<bool> AttachSidecarAsync(long id, string sidecarPath, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE calls SET sidecar_path = @sidecarPath, updated_at = @now WHERE id = @id AND sidecar_path IS NULL",
            new { id, sidecarPath, now = clock.GetUtcNow() }, cancellationToken: ct)) == 1;
    }

    public async Task<CallRow?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<CallRow>(new CommandDefinition(
            $"SELECT {Columns} FROM calls WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<CallRow?> GetByHashAsync(string contentSha256, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<CallRow>(new CommandDefinition(
            $"SELECT {Columns} FROM calls WHERE content_sha256 = @contentSha256", new { contentSha256 }, cancellationToken: ct));
    }

    public async Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Status, long N)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM calls GROUP BY status", cancellationToken: ct));
        return rows.ToDictionary(r => r.Status, r => (int)r.N);
    }

    public async Task<IReadOnlyList<CallSummary>> ListAsync(CallQuery q, CancellationToken ct = default)
    {
        // Only the filters given become SQL: PostgreSQL cannot type a bare "@x IS NULL" parameter.
        var where = new List<string>();
        if (q.Status is not null) where.Add("c.status = @Status");
        if (q.Agent is not null) where.Add("c.agent = @Agent");
        if (q.Queue is not null) where.Add("c.queue = @Queue");
        if (q.StartedFrom is not null) where.Add("c.started_at >= @StartedFrom");
        if (q.StartedTo is not null) where.Add("c.started_at < @StartedTo");
        if (q.Flagged is not null) where.Add("s.flagged = @Flagged");
        if (q.MaxScore is not null) where.Add("s.score <= @MaxScore");
        var filter = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        await using var c = await db.OpenAsync(ct);
        // The current score is the newest one; several exist only when the rubric version changed.
        var rows = await c.QueryAsync<CallSummary>(new CommandDefinition($"""
            SELECT c.id, c.call_key, c.status, c.agent, c.queue, c.started_at, c.duration_sec, c.error, c.created_at,
                   s.id AS score_id, s.rubric_version, s.score, s.flagged, s.is_complaint
            FROM calls c
            LEFT JOIN scores s ON s.id = (SELECT s2.id FROM scores s2 WHERE s2.call_id = c.id ORDER BY s2.created_at DESC, s2.id DESC LIMIT 1)
            {filter}
            ORDER BY CASE WHEN s.flagged THEN 0 ELSE 1 END, CASE WHEN s.score IS NULL THEN 1 ELSE 0 END, s.score,
                     COALESCE(c.started_at, c.created_at) DESC, c.id DESC
            LIMIT @Limit OFFSET @Offset
            """, q, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>Unfinished calls (not deferred to a later night) after <paramref name="afterId"/>, in id order: the start-up recovery of the in-memory queue.</summary>
    public async Task<IReadOnlyList<(long Id, string Status)>> ListUnfinishedAsync(int limit, long afterId = 0, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(long Id, string Status)>(new CommandDefinition("""
            SELECT id, status FROM calls
            WHERE status IN ('pending','audio','transcribing','scoring') AND (not_before IS NULL OR not_before <= @Now) AND id > @AfterId
            ORDER BY id
            LIMIT @Limit
            """, new { Now = clock.GetUtcNow(), Limit = limit, AfterId = afterId }, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>
    /// Hands calls that were registered but never queued (by <c>hotlineqa ingest</c> in another process, or a process
    /// that died between registering and queuing) to <paramref name="enqueue"/> and marks them queued, in one
    /// transaction: <paramref name="enqueue"/> runs before the commit, so a crash in between leaves the call unqueued
    /// (picked up again, a harmless duplicate job at worst) but never queued-and-lost. Several workers doing this at
    /// once each take different calls (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>; SQLite: one writer at a time).
    /// </summary>
    public Task<int> PickUpUnqueuedAsync(int limit, Action<long, string> enqueue, CancellationToken ct = default) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var lockRows = db.Dialect == SqlDialect.Postgres ? "FOR UPDATE SKIP LOCKED" : "";
            var due = (await c.QueryAsync<(long Id, string Status)>(new CommandDefinition($"""
                SELECT id, status FROM calls
                WHERE queued_at IS NULL AND status IN ('pending','audio','transcribing','scoring') AND (not_before IS NULL OR not_before <= @Now)
                ORDER BY id
                LIMIT @Limit
                {lockRows}
                """, new { Now = clock.GetUtcNow(), Limit = limit }, tx, cancellationToken: ct))).ToList();
            foreach (var (id, status) in due) enqueue(id, status);
            if (due.Count > 0)
                await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE calls SET queued_at = @Now WHERE id = @Id",
                    due.Select(d => new { d.Id, Now = clock.GetUtcNow() }).ToList(), tx, cancellationToken: ct));
            return due.Count;
        }, ct);

    public async Task MarkQueuedAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE calls SET queued_at = @Now WHERE id = @id", new { id, Now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>Leaves a call for the pickup of a process that runs workers (whose queue this process cannot reach).</summary>
    public async Task MarkUnqueuedAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE calls SET queued_at = NULL WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>
    /// A step starts on a call that is in one of <paramref name="from"/>: shows it <paramref name="running"/> and counts
    /// this start in <c>attempts</c> (starts of the current step that did not finish: a try that threw, or a worker that
    /// died mid-step — Hangfire counts only the former; <see cref="AdvanceAsync"/> resets it). Not a claim: exclusion is
    /// Hangfire's per-call lock and the guarded advance. Returns the row (its <c>Attempts</c> is this start's number),
    /// or null when the call is not (or no longer) in <paramref name="from"/>.
    /// </summary>
    public async Task<CallRow?> BeginStepAsync(long id, IReadOnlyList<string> from, string running, CancellationToken ct = default)
    {
        var fromList = StatusList(from, running);
        return await db.InTransactionAsync(async (c, tx) =>
        {
            var n = await c.ExecuteAsync(new CommandDefinition($"""
                UPDATE calls SET status = @Running, attempts = attempts + 1, updated_at = @Now
                WHERE id = @Id AND status IN ({fromList})
                """, new { Id = id, Running = running, Now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            if (n == 0) return null;
            return await c.QuerySingleAsync<CallRow>(new CommandDefinition(
                $"SELECT {Columns} FROM calls WHERE id = @id", new { id }, tx, cancellationToken: ct));
        }, ct);
    }

    /// <summary>
    /// A start that was given back on shutdown (the worker stopped gracefully mid-step): it does not count towards the
    /// starts without finishing, so restarting workers during long steps never fails a call.
    /// </summary>
    public async Task UncountStartAsync(long id, string running, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE calls SET attempts = attempts - 1 WHERE id = @id AND status = @running AND attempts > 0",
            new { id, running }, cancellationToken: ct));
    }

    /// <summary>
    /// Inside a step's transaction: moves the call on to <paramref name="next"/> only if it is still in one of
    /// <paramref name="from"/> (the guarded advance). False means another run of the step got there first: roll back.
    /// </summary>
    public async Task<bool> AdvanceAsync(DbConnection c, DbTransaction tx, long id, IReadOnlyList<string> from, string next, CancellationToken ct = default)
    {
        var fromList = StatusList(from, next);
        var now = clock.GetUtcNow();
        var n = await c.ExecuteAsync(new CommandDefinition($"""
            UPDATE calls SET status = @Next, attempts = 0, error = NULL, queued_at = @Now, updated_at = @Now
            WHERE id = @Id AND status IN ({fromList})
            """, new { Id = id, Next = next, Now = now }, tx, cancellationToken: ct));
        return n == 1;
    }

    /// <summary>Statuses are our own constants, so they can be literals (Dapper's list expansion differs between providers).</summary>
    private static string StatusList(IReadOnlyList<string> from, string to)
    {
        if (from.Count == 0 || from.Any(s => !CallStatus.All.Contains(s)) || !CallStatus.All.Contains(to))
            throw new ArgumentException("unknown call status");
        return string.Join(", ", from.Select(s => $"'{s}'"));
    }

    /// <summary>Inside the audio step's transaction: the decoded timeline and what it says about the recording.</summary>
    public Task SetAudioAsync(DbConnection c, DbTransaction tx, long id, string audioJson, double durationSec, int channels, CancellationToken ct = default) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE calls SET audio_json = @audioJson, duration_sec = @durationSec, channels = @channels WHERE id = @id",
            new { id, audioJson, durationSec, channels }, tx, cancellationToken: ct));

    /// <summary>Sets the duration/channels only where the audio step did not (a sidecar-only call).</summary>
    public Task FillShapeAsync(DbConnection c, DbTransaction tx, long id, double? durationSec, int? channels, CancellationToken ct = default) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE calls SET duration_sec = COALESCE(duration_sec, @durationSec), channels = COALESCE(channels, @channels) WHERE id = @id",
            new { id, durationSec, channels }, tx, cancellationToken: ct));

    /// <summary>
    /// Ends the call as failed with a reason people can read, unless it has finished meanwhile (another run of the step
    /// succeeded). Stored outputs of earlier steps are kept.
    /// </summary>
    public async Task MarkFailedAsync(long id, string reason, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var now = clock.GetUtcNow();
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE calls SET status = 'failed', error = @reason, updated_at = @now
            WHERE id = @id AND status IN ('pending','audio','transcribing','scoring')
            """, new { id, reason, now }, cancellationToken: ct));
    }

    /// <summary>Notes why the current try of a step failed while Hangfire schedules the next one.</summary>
    public async Task NoteErrorAsync(long id, string error, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE calls SET error = @error, updated_at = @now WHERE id = @id AND status IN ('pending','audio','transcribing','scoring')",
            new { id, error, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>Leaves a call in its status and keeps the start-up recovery and the pickup off it until <paramref name="notBefore"/> (heavy work after the morning cutoff).</summary>
    public async Task DeferAsync(long id, DateTimeOffset notBefore, string note, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE calls SET not_before = @notBefore, error = @note, updated_at = @now WHERE id = @id",
            new { id, notBefore, note, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>Puts a finished or failed call back at the start of <paramref name="status"/> (a "re-run" from the UI or tests).</summary>
    public async Task ResetAsync(long id, string status, CancellationToken ct = default)
    {
        if (!CallStatus.Unfinished.Contains(status)) throw new ArgumentException($"cannot reset a call to '{status}'", nameof(status));
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE calls SET status = @status, error = NULL, attempts = 0, queued_at = NULL, updated_at = @now
            WHERE id = @id
            """, new { id, status, now = clock.GetUtcNow() }, cancellationToken: ct));
    }
}
