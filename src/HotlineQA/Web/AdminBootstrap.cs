using Microsoft.Extensions.Options;

namespace HotlineQA.Host.Web;

/// <summary>Creates the configured admin account on start (after the storage layer's migrations, registered before it).</summary>
internal sealed class AdminBootstrap(IOptions<WebOptions> options, UserAccounts accounts, ILogger<AdminBootstrap> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.AdminUser) || string.IsNullOrEmpty(o.AdminPassword)) return;
        // Already so: leave the account alone, or every restart would end the admin's sessions (new security stamp).
        if (await accounts.VerifyAsync(o.AdminUser, o.AdminPassword, ct) is { Role: Roles.Admin }) return;
        await accounts.CreateOrUpdateAsync(o.AdminUser, o.AdminPassword, Roles.Admin, ct);
        log.LogInformation("Admin account {User} is ready", o.AdminUser);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
