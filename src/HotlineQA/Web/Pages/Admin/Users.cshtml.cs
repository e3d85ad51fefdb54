using HotlineQA.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotlineQA.Host.Web.Pages.Admin;

/// <summary>Accounts: list, create, change role or password, deactivate. Every change is audited; passwords never are.
/// Each change gives the account a new security stamp, so its open sessions end at their next request.</summary>
[Authorize(Policy = Roles.AdminPolicy)]
public sealed class UsersModel(UserStore users, UserAccounts accounts, AuditStore audit) : PageModel
{
    public IReadOnlyList<UserRow> Users { get; private set; } = [];
    public string? Error { get; private set; }
    public string? Done { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Users = await users.ListAsync(ct);

    /// <summary>Creates or updates an account. An existing account with no password given keeps its password and only
    /// changes role (and is reactivated).</summary>
    public async Task<IActionResult> OnPostAsync(string? name, string? password, string? role, CancellationToken ct)
    {
        var existing = name is null ? null : await users.GetByNameAsync(name.Trim(), ct);
        try
        {
            if (existing is not null && string.IsNullOrEmpty(password))
            {
                if (!Roles.IsValid(role ?? "")) throw new ArgumentException($"role must be one of {string.Join(", ", Roles.All)}", nameof(role));
                await users.SetRoleAsync(existing.Name, role!, ct);
                if (existing.Disabled) await users.SetDisabledAsync(existing.Name, false, ct);
            }
            else await accounts.CreateOrUpdateAsync(name ?? "", password ?? "", role ?? "", ct);
        }
        catch (ArgumentException e)
        {
            return await FailAsync(e.Message.Split(" (Parameter", 2)[0], ct);
        }
        var detail = existing is null ? $"role={role}" : $"role={role}{(string.IsNullOrEmpty(password) ? "" : "; password changed")}; sessions ended";
        await audit.WriteAsync(User.Identity!.Name!, existing is not null ? "user.update" : "user.create", $"user:{name!.Trim()}", detail, ct);
        Done = $"{name.Trim()} saved as {role}";
        Users = await users.ListAsync(ct);
        return Page();
    }

    /// <summary>Deactivates an account (no login; its sessions end) or reactivates it.</summary>
    public async Task<IActionResult> OnPostActiveAsync(string? name, bool active, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name) || await users.GetByNameAsync(name.Trim(), ct) is null)
            return await FailAsync($"no user named '{name}'", ct);
        if (!active && name.Trim() == User.Identity!.Name)
            return await FailAsync("you cannot deactivate your own account", ct);
        await users.SetDisabledAsync(name.Trim(), !active, ct);
        await audit.WriteAsync(User.Identity!.Name!, active ? "user.activate" : "user.deactivate", $"user:{name.Trim()}", "sessions ended", ct);
        Done = $"{name.Trim()} {(active ? "reactivated" : "deactivated")}";
        Users = await users.ListAsync(ct);
        return Page();
    }

    private async Task<IActionResult> FailAsync(string error, CancellationToken ct)
    {
        Error = error;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        Users = await users.ListAsync(ct);
        return Page();
    }
}
