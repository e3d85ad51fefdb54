using Dapper;

namespace HotlineQA.Storage;

public sealed record UserRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    /// <summary>A salted, slow hash made by the web layer (never the password itself).</summary>
    public string PasswordHash { get; init; } = "";
    public string Role { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>People who log in to the web UI. Hashing passwords and checking roles is the web layer's job.</summary>
public sealed class UserStore(HotlineDatabase db, TimeProvider clock)
{
    /// <summary>Creates the user, or updates hash and role when the name exists (so <c>demo</c> can run twice).</summary>
    public async Task<long> UpsertAsync(string name, string passwordHash, string role, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a user name is required", nameof(name));
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleAsync<long>(new CommandDefinition("""
            INSERT INTO users (name, password_hash, role, created_at) VALUES (@name, @passwordHash, @role, @now)
            ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role
            RETURNING id
            """, new { name, passwordHash, role, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task<UserRow?> GetByNameAsync(string name, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            "SELECT id, name, password_hash, role, created_at FROM users WHERE name = @name", new { name }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<UserRow>(new CommandDefinition(
            "SELECT id, name, password_hash, role, created_at FROM users ORDER BY name", cancellationToken: ct))).ToList();
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM users WHERE name = @name", new { name }, cancellationToken: ct)) == 1;
    }
}
