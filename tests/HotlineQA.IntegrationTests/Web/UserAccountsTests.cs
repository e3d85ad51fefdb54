using HotlineQA.Host.Web;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;

namespace HotlineQA.IntegrationTests.Web;

public sealed class UserAccountsTestsSqlite(SqliteDatabaseFixture fx) : UserAccountsTests(fx), IClassFixture<SqliteDatabaseFixture>;

public sealed class UserAccountsTestsPostgres(PostgresDatabaseFixture fx) : UserAccountsTests(fx), IClassFixture<PostgresDatabaseFixture>;

/// <summary>Accounts over the storage layer's real users table, on SQLite and PostgreSQL.</summary>
public abstract class UserAccountsTests(DatabaseFixture fx)
{
    private readonly UserStore _store = new(fx.Db, TimeProvider.System);
    private UserAccounts Accounts => new(_store);

    [Fact]
    public async Task VerifyAsync_ShouldReturnTheUserWithRole_WhenPasswordRight()
    {
        await Accounts.CreateOrUpdateAsync("coach-li", "correct horse", Roles.Coach);
        Assert.Equal(new WebUser("coach-li", Roles.Coach), await Accounts.VerifyAsync("coach-li", "correct horse"));
        // Trimmed like the name it was created with.
        Assert.NotNull(await Accounts.VerifyAsync(" coach-li ", "correct horse"));
    }

    [Fact]
    public async Task VerifyAsync_ShouldReturnNull_WhenPasswordWrongOrUserUnknown()
    {
        await Accounts.CreateOrUpdateAsync("rev-wang", "s3cret-pass", Roles.Reviewer);
        Assert.Null(await Accounts.VerifyAsync("rev-wang", "s3cret-pasS"));
        Assert.Null(await Accounts.VerifyAsync("rev-wang", ""));
        Assert.Null(await Accounts.VerifyAsync("nobody", "s3cret-pass"));
        Assert.Null(await Accounts.VerifyAsync("", "s3cret-pass"));
    }

    [Fact]
    public async Task CreateOrUpdateAsync_ShouldStoreASaltedHashNotThePassword_WhenCalledTwice()
    {
        await Accounts.CreateOrUpdateAsync("admin-zhao", "first-password", Roles.Admin);
        var first = (await _store.GetByNameAsync("admin-zhao"))!.PasswordHash;
        Assert.DoesNotContain("first-password", first);
        await Accounts.CreateOrUpdateAsync("admin-zhao", "first-password", Roles.Admin);
        Assert.NotEqual(first, (await _store.GetByNameAsync("admin-zhao"))!.PasswordHash);   // a new salt every time

        await Accounts.CreateOrUpdateAsync("admin-zhao", "second-password", Roles.Reviewer);
        Assert.Null(await Accounts.VerifyAsync("admin-zhao", "first-password"));
        Assert.Equal(Roles.Reviewer, (await Accounts.VerifyAsync("admin-zhao", "second-password"))?.Role);
    }

    [Fact]
    public async Task CreateOrUpdateAsync_ShouldRefuse_WhenPasswordShortOrRoleUnknown()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Accounts.CreateOrUpdateAsync("x", "short", Roles.Admin));
        await Assert.ThrowsAsync<ArgumentException>(() => Accounts.CreateOrUpdateAsync("x", "long-enough", "superuser"));
        await Assert.ThrowsAsync<ArgumentException>(() => Accounts.CreateOrUpdateAsync(" ", "long-enough", Roles.Admin));
        Assert.Null(await _store.GetByNameAsync("x"));
    }

    [Fact]
    public async Task VerifyAsync_ShouldRefuse_WhenStoredRoleIsNotAWebRole()
    {
        // A row written by something else with a role the web does not know must not log in with undefined rights.
        var hash = new Microsoft.AspNetCore.Identity.PasswordHasher<WebUser>().HashPassword(new WebUser("odd", "root"), "long-enough");
        await _store.UpsertAsync("odd", hash, "root");
        Assert.Null(await Accounts.VerifyAsync("odd", "long-enough"));
    }

    [Fact]
    public async Task LoginAsync_ShouldLockTheAccountUntilTheTimeIsUp_WhenThresholdWrongPasswordsInARow()
    {
        var clock = new HotlineQA.TestSupport.Databases.TestClock(DateTimeOffset.Parse("2026-12-01T08:00:00Z"));
        var accounts = new UserAccounts(new UserStore(fx.Db, clock), clock);
        await accounts.CreateOrUpdateAsync("lock-me", "right-password", Roles.Reviewer);
        Assert.False((await accounts.LoginAsync("lock-me", "wrong-1", 2, TimeSpan.FromMinutes(15))).Locked);
        var second = await accounts.LoginAsync("lock-me", "wrong-2", 2, TimeSpan.FromMinutes(15));
        Assert.Equal(DateTimeOffset.Parse("2026-12-01T08:15:00Z"), second.LockedUntil);
        var whileLocked = await accounts.LoginAsync("lock-me", "right-password", 2, TimeSpan.FromMinutes(15));
        Assert.True(whileLocked.Locked);
        Assert.Null(whileLocked.User);
        Assert.Null(await accounts.VerifyAsync("lock-me", "right-password"));

        clock.Advance(TimeSpan.FromMinutes(16));
        var after = await accounts.LoginAsync("lock-me", "right-password", 2, TimeSpan.FromMinutes(15));
        Assert.Equal(new WebUser("lock-me", Roles.Reviewer), after.User);
        Assert.Equal(0, (await _store.GetByNameAsync("lock-me"))!.FailedLogins);
    }

    [Fact]
    public async Task IsSessionValidAsync_ShouldBeFalse_WhenRoleStampOrActiveFlagChanged()
    {
        await Accounts.CreateOrUpdateAsync("sess-a", "right-password", Roles.Admin);
        var login = await Accounts.LoginAsync("sess-a", "right-password", 5, TimeSpan.FromMinutes(15));
        Assert.True(await Accounts.IsSessionValidAsync("sess-a", Roles.Admin, login.Stamp));
        Assert.False(await Accounts.IsSessionValidAsync("sess-a", Roles.Coach, login.Stamp));
        Assert.False(await Accounts.IsSessionValidAsync("sess-a", Roles.Admin, "0123"));

        Assert.True(await _store.SetRoleAsync("sess-a", Roles.Coach));
        Assert.False(await Accounts.IsSessionValidAsync("sess-a", Roles.Admin, login.Stamp));
        var coach = await Accounts.LoginAsync("sess-a", "right-password", 5, TimeSpan.FromMinutes(15));
        Assert.True(await Accounts.IsSessionValidAsync("sess-a", Roles.Coach, coach.Stamp));

        Assert.True(await _store.SetDisabledAsync("sess-a", true));
        Assert.False(await Accounts.IsSessionValidAsync("sess-a", Roles.Coach, coach.Stamp));
        Assert.False((await Accounts.LoginAsync("sess-a", "right-password", 5, TimeSpan.FromMinutes(15))).Succeeded);
        await Accounts.EndSessionsAsync("sess-a");
        Assert.NotEqual(coach.Stamp, (await _store.GetByNameAsync("sess-a"))!.SecurityStamp);
    }

    [Fact]
    public void NewPassword_ShouldBeSixteenUnambiguousCharacters_WhenGenerated()
    {
        var a = UserAccounts.NewPassword();
        Assert.Equal(16, a.Length);
        Assert.DoesNotContain(a, c => "0O1lI".Contains(c));
        Assert.NotEqual(a, UserAccounts.NewPassword());
    }
}
