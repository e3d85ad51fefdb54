using HotlineQA.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotlineQA.Host.Web.Pages.Admin;

/// <summary>Accounts: list, create, change role or password. Every change is audited; passwords never are.</summary>
[Authorize(Policy = Roles.AdminPolicy)]
public sealed class UsersModel(UserStore users, UserAccounts accounts, AuditStore audit) : PageModel
{
    public IReadOnlyList<UserRow> Users { get; private set; } = [];
    public string? Error { get; private set; }
    public string? Done { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Users = await users.ListAsync(ct);

    public async Task<IActionResult> OnPostAsync(string? name, string? password, string? role, CancellationToken ct)
    {
        var existed = name is not null && await users.GetByNameAsync(name.Trim(), ct) is not null;
        try
        {
            await accounts.CreateOrUpdateAsync(name ?? "", password ?? "", role ?? "", ct);
        }
        catch (ArgumentException e)
        {
            Error = e.Message.Split(" (Parameter", 2)[0];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Users = await users.ListAsync(ct);
            return Page();
        }
        await audit.WriteAsync(User.Identity!.Name!, existed ? "user.update" : "user.create", $"user:{name!.Trim()}", $"role={role}", ct);
        Done = $"{name.Trim()} saved as {role}";
        Users = await users.ListAsync(ct);
        return Page();
    }
}
