using HotlineQA.Storage;
using Microsoft.AspNetCore.Identity;

namespace HotlineQA.Host.Web;

/// <summary>A person who may log in, as the web layer sees them.</summary>
public sealed record WebUser(string Name, string Role);

/// <summary>Creates accounts and checks passwords: ASP.NET Core Identity's PBKDF2 hasher over the storage layer's users table.</summary>
public sealed class UserAccounts(UserStore users)
{
    private static readonly PasswordHasher<WebUser> Hasher = new();

    // Checked against when the name is unknown, so a wrong name costs as long as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(new WebUser("", ""), Guid.NewGuid().ToString());

    public const int MinPasswordLength = 8;

    public async Task CreateOrUpdateAsync(string name, string password, string role, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a user name is required", nameof(name));
        if (password.Length < MinPasswordLength) throw new ArgumentException($"a password needs at least {MinPasswordLength} characters", nameof(password));
        if (!Roles.IsValid(role)) throw new ArgumentException($"role must be one of {string.Join(", ", Roles.All)}", nameof(role));
        var user = new WebUser(name.Trim(), role);
        await users.UpsertAsync(user.Name, Hasher.HashPassword(user, password), role, ct);
    }

    /// <summary>The user when <paramref name="password"/> is right, else null.</summary>
    public async Task<WebUser?> VerifyAsync(string name, string password, CancellationToken ct = default)
    {
        var row = string.IsNullOrWhiteSpace(name) ? null : await users.GetByNameAsync(name.Trim(), ct);
        var user = new WebUser(row?.Name ?? "", row?.Role ?? "");
        var result = Hasher.VerifyHashedPassword(user, row?.PasswordHash ?? DummyHash, password ?? "");
        if (row is null || result == PasswordVerificationResult.Failed || !Roles.IsValid(row.Role)) return null;
        // A hash made with older iteration settings is upgraded on the next successful login.
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
            await users.UpsertAsync(row.Name, Hasher.HashPassword(user, password!), row.Role, ct);
        return user;
    }

    /// <summary>A random password for generated accounts (the demo login): 16 characters from an unambiguous alphabet.</summary>
    public static string NewPassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return System.Security.Cryptography.RandomNumberGenerator.GetString(alphabet, 16);
    }
}
