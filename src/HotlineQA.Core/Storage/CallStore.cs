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
    public DateTimeOffset? QueuedAt { get; init; }
    public string? ClaimedBy { get; init; }
    public DateTimeOffset? ClaimedUntil { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The overnight batch that registered or last adopted the call (null: ingested by hand).</summary>
    public long? BatchId { get; init; }
    /// <summary>Set when the heavy step was deferred past the batch's morning cutoff: no sweep queues it before then.</summary>
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
        started_at, duration_sec, channels, error, attempts, audio_json, queued_at, claimed_by, claimed_until, created_at, updated_at,
        batch_id, not_before
        """;

    /// <summary>Registers a recording once per content hash; returns the call id and whether it is new.</summary>
    public async Task<(long Id, bool Created)> RegisterAsync(NewCall call, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var now = clock.GetUtcNow();
        var id = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            INSERT INTO calls (call_key, status, content_sha256, size_bytes, source_path, sidecar_path, agent, queue,
                               customer_number, started_at, attempts, created_at, updated_at)
            VALUES (@CallKey, 'pending', @ContentSha256, @SizeBytes, @SourcePath, @SidecarPath, @Agent, @Queue,
                    @CustomerNumber, @StartedAt, 0, @Now, @Now)
            ON CONFLICT (content_sha256) DO NOTHING
            RETURNING id
            """, new { call.CallKey, call.ContentSha256, call.SizeBytes, call.SourcePath, call.SidecarPath, call.Agent, call.Queue,
                       call.CustomerNumber, call.StartedAt, Now = now }, cancellationToken: ct));
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

    /// <summary>
    /// Unfinished calls that no live worker holds and that were not queued since <paramref name="queuedBefore"/>, or
    /// whose claim was abandoned (the lease of a dead worker ran out: <c>Abandoned</c>), however recently queued.
    /// </summary>
    public async Task<IReadOnlyList<(long Id, string Status, bool Abandoned)>> ListRecoverableAsync(DateTimeOffset queuedBefore, int limit, long afterId = 0, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(long Id, string Status, string? ClaimedBy)>(new CommandDefinition("""
            SELECT id, status, claimed_by FROM calls
            WHERE status IN ('pending','audio','transcribing','scoring')
              AND (claimed_until IS NULL OR claimed_until < @Now)
              AND (queued_at IS NULL OR queued_at < @QueuedBefore OR claimed_by IS NOT NULL)
              AND (not_before IS NULL OR not_before <= @Now)
              AND id > @AfterId
            ORDER BY id
            LIMIT @Limit
            """, new { Now = clock.GetUtcNow(), QueuedBefore = queuedBefore, Limit = limit, AfterId = afterId }, cancellationToken: ct));
        return rows.Select(r => (r.Id, r.Status, r.ClaimedBy is not null)).ToList();
    }

    /// <summary>
    /// Clears a claim whose lease ran out. True for exactly one caller, so when several machines sweep at once only
    /// one of them queues the call again.
    /// </summary>
    public async Task<bool> ClearExpiredClaimAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE calls SET claimed_by = NULL, claimed_until = NULL WHERE id = @id AND claimed_by IS NOT NULL AND claimed_until < @now",
            new { id, now = clock.GetUtcNow() }, cancellationToken: ct)) == 1;
    }

    public async Task MarkQueuedAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE calls SET queued_at = @Now WHERE id = @id", new { id, Now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>
    /// Takes a call for one step: only when it is in one of <paramref name="from"/> and nobody else holds an unexpired
    /// claim. Returns the claimed row, or null when another worker has it or the step is already done.
    /// </summary>
    public async Task<CallRow?> ClaimAsync(long id, IReadOnlyList<string> from, string to, string worker, TimeSpan lease, CancellationToken ct = default)
    {
        if (from.Count == 0 || from.Any(s => !CallStatus.All.Contains(s)) || !CallStatus.All.Contains(to))
            throw new ArgumentException("unknown call status");
        // Statuses are our own constants, so they can be literals (Dapper's list expansion differs between providers).
        var fromList = string.Join(", ", from.Select(s => $"'{s}'"));
        var now = clock.GetUtcNow();
        return await db.InTransactionAsync(async (c, tx) =>
        {
            var n = await c.ExecuteAsync(new CommandDefinition($"""
                UPDATE calls SET status = @To, claimed_by = @Worker, claimed_until = @Until, attempts = attempts + 1, updated_at = @Now
                WHERE id = @Id AND status IN ({fromList}) AND (claimed_until IS NULL OR claimed_until < @Now)
                """, new { Id = id, To = to, Worker = worker, Until = now + lease, Now = now }, tx, cancellationToken: ct));
            if (n == 0) return null;
            return await c.QuerySingleAsync<CallRow>(new CommandDefinition(
                $"SELECT {Columns} FROM calls WHERE id = @id", new { id }, tx, cancellationToken: ct));
        }, ct);
    }

    /// <summary>
    /// Inside a step's transaction: moves the call on to <paramref name="next"/> if <paramref name="worker"/> still holds it.
    /// False means the claim was lost (lease expired and another worker took over): the caller must roll back.
    /// </summary>
    public async Task<bool> AdvanceAsync(DbConnection c, DbTransaction tx, long id, string worker, string next, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var n = await c.ExecuteAsync(new CommandDefinition("""
            UPDATE calls SET status = @Next, claimed_by = NULL, claimed_until = NULL, attempts = 0, error = NULL,
                             queued_at = @Now, updated_at = @Now
            WHERE id = @Id AND claimed_by = @Worker
            """, new { Id = id, Worker = worker, Next = next, Now = now }, tx, cancellationToken: ct));
        return n == 1;
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

    /// <summary>Ends the call as failed with a reason people can read. Stored outputs of earlier steps are kept.</summary>
    public async Task MarkFailedAsync(long id, string reason, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var now = clock.GetUtcNow();
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE calls SET status = 'failed', error = @reason, claimed_by = NULL, claimed_until = NULL, updated_at = @now
            WHERE id = @id
            """, new { id, reason, now }, cancellationToken: ct));
    }

    /// <summary>Pushes this worker's lease on a call further out while a long step runs; false when the claim was lost.</summary>
    public async Task<bool> ExtendClaimAsync(long id, string worker, TimeSpan lease, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var now = clock.GetUtcNow();
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE calls SET claimed_until = @until WHERE id = @id AND claimed_by = @worker",
            new { id, worker, until = now + lease }, cancellationToken: ct)) == 1;
    }

    /// <summary>Leaves a call unclaimed in its status and keeps the sweep off it until <paramref name="notBefore"/> (heavy work after the morning cutoff).</summary>
    public async Task DeferAsync(long id, DateTimeOffset notBefore, string note, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE calls SET not_before = @notBefore, error = @note, updated_at = @now WHERE id = @id AND claimed_by IS NULL",
            new { id, notBefore, note, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>Gives a claimed call back after a transient error, keeping its status so the same step runs again.</summary>
    /// <param name="refundAttempt">True when the step did not really fail (shutdown), so the try does not count.</param>
    public async Task ReleaseAsync(long id, string worker, string error, bool refundAttempt = false, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var now = clock.GetUtcNow();
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE calls SET error = @error, claimed_by = NULL, claimed_until = NULL, queued_at = @now, updated_at = @now,
                             attempts = CASE WHEN @refund THEN attempts - 1 ELSE attempts END
            WHERE id = @id AND claimed_by = @worker
            """, new { id, worker, error, now, refund = refundAttempt }, cancellationToken: ct));
    }

    /// <summary>The workers holding unexpired claims on unfinished calls (to spot a crashed predecessor's claims).</summary>
    public async Task<IReadOnlyList<string>> ListClaimHoldersAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<string>(new CommandDefinition("""
            SELECT DISTINCT claimed_by FROM calls
            WHERE claimed_by IS NOT NULL AND status IN ('pending','audio','transcribing','scoring')
            """, cancellationToken: ct))).ToList();
    }

    /// <summary>Drops every claim of a worker known to be dead, so its calls can be recovered now rather than at lease end.</summary>
    public async Task<int> ReleaseClaimsOfAsync(string worker, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition("""
            UPDATE calls SET claimed_by = NULL, claimed_until = NULL, updated_at = @now
            WHERE claimed_by = @worker AND status IN ('pending','audio','transcribing','scoring')
            """, new { worker, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>Puts a finished or failed call back at the start of <paramref name="status"/> (a "re-run" from the UI or tests).</summary>
    public async Task ResetAsync(long id, string status, CancellationToken ct = default)
    {
        if (!CallStatus.Unfinished.Contains(status)) throw new ArgumentException($"cannot reset a call to '{status}'", nameof(status));
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE calls SET status = @status, error = NULL, attempts = 0, claimed_by = NULL, claimed_until = NULL,
                             queued_at = NULL, updated_at = @now
            WHERE id = @id
            """, new { id, status, now = clock.GetUtcNow() }, cancellationToken: ct));
    }
}
