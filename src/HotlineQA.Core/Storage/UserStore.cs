using System.Security.Cryptography;
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
    /// <summary>Carried in every login cookie; a new one (password, role or active flag changed, logout) ends every session.</summary>
    public string SecurityStamp { get; init; } = "";
    /// <summary>Wrong passwords since the last successful login (the per-account lockout).</summary>
    public int FailedLogins { get; init; }
    /// <summary>No login until then, even with the right password.</summary>
    public DateTimeOffset? LockedUntil { get; init; }
    /// <summary>A deactivated account cannot log in and its sessions end.</summary>
    public bool Disabled { get; init; }
}

/// <summary>People who log in to the web UI. Hashing passwords and checking roles is the web layer's job.</summary>
public sealed class UserStore(HotlineDatabase db, TimeProvider clock)
{
    private const string Columns = "id, name, password_hash, role, created_at, security_stamp, failed_logins, locked_until, disabled";

    /// <summary>A fresh random security stamp.</summary>
    public static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Creates the user, or updates hash and role when the name exists (so <c>demo</c> can run twice). Either way
    /// the account is active, unlocked, and gets a new security stamp: every existing session of it ends.</summary>
    public async Task<long> UpsertAsync(string name, string passwordHash, string role, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a user name is required", nameof(name));
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleAsync<long>(new CommandDefinition("""
            INSERT INTO users (name, password_hash, role, created_at, security_stamp) VALUES (@name, @passwordHash, @role, @now, @stamp)
            ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role,
                security_stamp = excluded.security_stamp, failed_logins = 0, locked_until = NULL, disabled = FALSE
            RETURNING id
            """, new { name, passwordHash, role, now = clock.GetUtcNow(), stamp = NewStamp() }, cancellationToken: ct));
    }

    /// <summary>Changes the role of an existing user (new stamp: their sessions end). False when the name is unknown.</summary>
    public async Task<bool> SetRoleAsync(string name, string role, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET role = @role, security_stamp = @stamp WHERE name = @name", new { name, role, stamp = NewStamp() }, cancellationToken: ct)) == 1;
    }

    /// <summary>Deactivates or reactivates a user (new stamp: their sessions end). False when the name is unknown.</summary>
    public async Task<bool> SetDisabledAsync(string name, bool disabled, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET disabled = @disabled, security_stamp = @stamp, failed_logins = 0, locked_until = NULL WHERE name = @name",
            new { name, disabled, stamp = NewStamp() }, cancellationToken: ct)) == 1;
    }

    /// <summary>A new stamp without other changes (logout): every session of the user ends.</summary>
    public async Task RotateStampAsync(string name, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("UPDATE users SET security_stamp = @stamp WHERE name = @name", new { name, stamp = NewStamp() }, cancellationToken: ct));
    }

    /// <summary>A rehash of the same password (stronger settings): the stamp stays, sessions go on.</summary>
    public async Task UpdateHashAsync(string name, string passwordHash, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("UPDATE users SET password_hash = @passwordHash WHERE name = @name", new { name, passwordHash }, cancellationToken: ct));
    }

    /// <summary>Counts a wrong password; at <paramref name="threshold"/> failures the account locks until now + <paramref name="lockFor"/>
    /// and the count starts again. Returns the row as it is now (null for an unknown name).</summary>
    public async Task<UserRow?> RecordFailedLoginAsync(string name, int threshold, TimeSpan lockFor, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var until = clock.GetUtcNow() + lockFor;
        // One statement, so two concurrent wrong guesses both count.
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE users SET
                locked_until = CASE WHEN failed_logins + 1 >= @threshold THEN @until ELSE locked_until END,
                failed_logins = CASE WHEN failed_logins + 1 >= @threshold THEN 0 ELSE failed_logins + 1 END
            WHERE name = @name
            """, new { name, threshold, until }, cancellationToken: ct));
        return await GetAsync(c, name, ct);
    }

    /// <summary>A successful login: the failure count and any expired lock are cleared.</summary>
    public async Task RecordSuccessfulLoginAsync(string name, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE name = @name", new { name }, cancellationToken: ct));
    }

    public async Task<UserRow?> GetByNameAsync(string name, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await GetAsync(c, name, ct);
    }

    private static Task<UserRow?> GetAsync(System.Data.Common.DbConnection c, string name, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition($"SELECT {Columns} FROM users WHERE name = @name", new { name }, cancellationToken: ct));

    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users ORDER BY name", cancellationToken: ct))).ToList();
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM users WHERE name = @name", new { name }, cancellationToken: ct)) == 1;
    }
}
