using HotlineQA.Storage;
using Microsoft.AspNetCore.Identity;

namespace HotlineQA.Host.Web;

/// <summary>A person who may log in, as the web layer sees them.</summary>
public sealed record WebUser(string Name, string Role);

/// <summary>What a login attempt came to. <see cref="Stamp"/> goes into the cookie (see <see cref="UserAccounts.IsSessionValidAsync"/>).</summary>
public sealed record LoginResult(WebUser? User, string? Stamp, DateTimeOffset? LockedUntil)
{
    public bool Succeeded => User is not null;
    public bool Locked => LockedUntil is not null;
}

/// <summary>Creates accounts, checks passwords, locks accounts after repeated wrong passwords, and tells whether a
/// session cookie still matches the account: ASP.NET Core Identity's PBKDF2 hasher over the storage layer's users table.</summary>
public sealed class UserAccounts(UserStore users, TimeProvider clock)
{
    private static readonly PasswordHasher<WebUser> Hasher = new();

    // Checked against when the name is unknown, so a wrong name costs as long as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(new WebUser("", ""), Guid.NewGuid().ToString());

    public const int MinPasswordLength = 8;

    public UserAccounts(UserStore users) : this(users, TimeProvider.System) { }

    /// <summary>Creates the account or sets a new password and role; the account is active afterwards and every
    /// session it had ends (new security stamp).</summary>
    public async Task CreateOrUpdateAsync(string name, string password, string role, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a user name is required", nameof(name));
        if (password.Length < MinPasswordLength) throw new ArgumentException($"a password needs at least {MinPasswordLength} characters", nameof(password));
        if (!Roles.IsValid(role)) throw new ArgumentException($"role must be one of {string.Join(", ", Roles.All)}", nameof(role));
        var user = new WebUser(name.Trim(), role);
        await users.UpsertAsync(user.Name, Hasher.HashPassword(user, password), role, ct);
    }

    /// <summary>The user when <paramref name="password"/> is right and the account active, else null (no lockout bookkeeping).</summary>
    public async Task<WebUser?> VerifyAsync(string name, string password, CancellationToken ct = default)
    {
        var (user, row) = await CheckAsync(name, password, ct);
        return user is not null && row is not null && !IsLocked(row) ? user : null;
    }

    /// <summary>A login with the per-account lockout: <paramref name="threshold"/> wrong passwords in a row lock the
    /// account for <paramref name="lockFor"/>; while locked even the right password is refused.</summary>
    public async Task<LoginResult> LoginAsync(string name, string password, int threshold, TimeSpan lockFor, CancellationToken ct = default)
    {
        var (user, row) = await CheckAsync(name, password, ct);
        if (row is null) return new LoginResult(null, null, null);
        if (IsLocked(row)) return new LoginResult(null, null, row.LockedUntil);
        if (user is null)
        {
            var after = await users.RecordFailedLoginAsync(row.Name, Math.Max(1, threshold), lockFor, ct);
            return new LoginResult(null, null, after is not null && IsLocked(after) ? after.LockedUntil : null);
        }
        if (row.FailedLogins != 0 || row.LockedUntil is not null) await users.RecordSuccessfulLoginAsync(row.Name, ct);
        return new LoginResult(user, row.SecurityStamp, null);
    }

    /// <summary>Whether a session made for (<paramref name="name"/>, <paramref name="role"/>, <paramref name="stamp"/>) may
    /// go on: the account exists, is active, still has that role, and its stamp has not changed since (password, role,
    /// deactivation, logout).</summary>
    public async Task<bool> IsSessionValidAsync(string? name, string? role, string? stamp, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(role) || string.IsNullOrEmpty(stamp)) return false;
        var row = await users.GetByNameAsync(name, ct);
        return row is not null && !row.Disabled && row.Role == role && Roles.IsValid(row.Role)
            && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(row.SecurityStamp), System.Text.Encoding.ASCII.GetBytes(stamp));
    }

    /// <summary>Ends every session of the user (logout).</summary>
    public Task EndSessionsAsync(string name, CancellationToken ct = default) => users.RotateStampAsync(name, ct);

    private bool IsLocked(UserRow row) => row.LockedUntil is { } until && until > clock.GetUtcNow();

    private async Task<(WebUser? User, UserRow? Row)> CheckAsync(string name, string password, CancellationToken ct)
    {
        var row = string.IsNullOrWhiteSpace(name) ? null : await users.GetByNameAsync(name.Trim(), ct);
        var user = new WebUser(row?.Name ?? "", row?.Role ?? "");
        var result = Hasher.VerifyHashedPassword(user, row?.PasswordHash ?? DummyHash, password ?? "");
        if (row is null) return (null, null);
        if (result == PasswordVerificationResult.Failed || !Roles.IsValid(row.Role) || row.Disabled) return (null, row);
        // A hash made with older iteration settings is upgraded on the next successful login (sessions go on).
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
            await users.UpdateHashAsync(row.Name, Hasher.HashPassword(user, password!), ct);
        return (user, row);
    }

    /// <summary>A random password for generated accounts (the demo login): 16 characters from an unambiguous alphabet.</summary>
    public static string NewPassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return System.Security.Cryptography.RandomNumberGenerator.GetString(alphabet, 16);
    }
}
