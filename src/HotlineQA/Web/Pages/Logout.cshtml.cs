using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotlineQA.Host.Web.Pages;

public sealed class LogoutModel(UserAccounts accounts) : PageModel
{
    public void OnGet() { }

    /// <summary>Ends the session for good: the account's security stamp changes, so a copy of the cookie (and any other
    /// session of the same account) is refused from the next request on, not only this browser's.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (User.Identity?.Name is { } name) await accounts.EndSessionsAsync(name, ct);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/login");
    }
}
