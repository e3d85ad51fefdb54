using System.Data.Common;
using Dapper;

namespace HotlineQA.Storage;

public sealed record AuditRow
{
    public long Id { get; init; }
    public string Actor { get; init; } = "";
    public string Action { get; init; } = "";
    public string? Subject { get; init; }
    public DateTimeOffset At { get; init; }
    public string? Detail { get; init; }
}

/// <summary>Who did what to which subject, append-only. Details never carry transcript text or recording content.</summary>
public sealed class AuditStore(HotlineDatabase db, TimeProvider clock)
{
    public Task WriteAsync(DbConnection c, DbTransaction? tx, string actor, string action, string? subject, string? detail, CancellationToken ct = default) =>
        c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_log (actor, action, subject, at, detail) VALUES (@actor, @action, @subject, @at, @detail)
            """, new { actor, action, subject, at = clock.GetUtcNow(), detail }, tx, cancellationToken: ct));

    public async Task WriteAsync(string actor, string action, string? subject, string? detail, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await WriteAsync(c, null, actor, action, subject, detail, ct);
    }

    public async Task<IReadOnlyList<AuditRow>> ListAsync(string? subject = null, int limit = 100, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var filter = subject is null ? "" : "WHERE subject = @subject";
        var rows = await c.QueryAsync<AuditRow>(new CommandDefinition($"""
            SELECT id, actor, action, subject, at, detail FROM audit_log {filter} ORDER BY at DESC, id DESC LIMIT @limit
            """, new { subject, limit }, cancellationToken: ct));
        return rows.ToList();
    }
}
