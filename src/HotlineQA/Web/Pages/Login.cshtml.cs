using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace HotlineQA.Host.Web.Pages;

[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(WebApp.LoginRateLimit)]
public sealed class LoginModel(UserAccounts accounts, LoginThrottle throttle, IOptions<WebOptions> options, ILogger<LoginModel> log) : PageModel
{
    [BindProperty] public string UserName { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet() { }

    // Razor Pages validate the anti-forgery token on every POST handler.
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!throttle.TryAcquire(HttpContext.Connection.RemoteIpAddress?.ToString(), UserName))
        {
            Error = "登录尝试过多，请稍后再试 Too many login attempts; try again in a minute.";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        var o = options.Value;
        var result = await accounts.LoginAsync(UserName, Password, o.AccountLockoutThreshold, TimeSpan.FromMinutes(Math.Max(1, o.AccountLockoutMinutes)), ct);
        if (result.Locked)
        {
            log.LogWarning("Login refused for user {User}: account locked after repeated wrong passwords", UserName);
            Error = $"账户已暂时锁定 This account is locked after {o.AccountLockoutThreshold} wrong passwords; try again after {result.LockedUntil!.Value.ToLocalTime():HH:mm}.";
            Response.StatusCode = StatusCodes.Status423Locked;
            return Page();
        }
        if (result.User is not { } user)
        {
            log.LogWarning("Failed login for user {User}", UserName);
            Error = "用户名或密码错误 Wrong user name or password.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role), new Claim(WebApp.StampClaim, result.Stamp!)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        log.LogInformation("User {User} logged in", user.Name);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
