using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using Hangfire;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace HotlineQA.Host.Web;

/// <summary>The web host of <c>serve</c> and <c>demo</c>: Razor pages, the JSON API, cookie login with roles, the Hangfire
/// dashboard (admins), and everything <see cref="HostConfiguration.AddHotlineQA(IServiceCollection, IConfiguration)"/>
/// registers: storage, the engines and the pipeline with its workers.</summary>
public static class WebApp
{
    public const string DefaultUrls = "http://127.0.0.1:5080";
    public const string LoginRateLimit = "login";

    public static WebApplication Build(string urls, IReadOnlyDictionary<string, string?>? overrides = null, Action<WebApplicationBuilder>? configure = null)
    {
        // No args: the CLI parses its own options; ASP.NET Core must not read them as configuration.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddHotlineQA();
        if (overrides is { Count: > 0 }) builder.Configuration.AddInMemoryCollection(overrides);
        builder.WebHost.UseUrls(urls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        HostConfiguration.LogToStandardError(builder.Services);
        builder.Logging.AddFilter("Hangfire", LogLevel.Warning);
        // A failed start reaches the caller as an exception (HostConfiguration.StartOrExplainAsync explains it); the host's own log of it is a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        // It warns that keys are stored unencrypted: they sit in the data folder beside the database, which holds
        // the recordings' transcripts and needs the same file permissions anyway (docs/web-and-demo.md).
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        AddWeb(builder.Services, builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        // Behind the TLS proxy: the client's address and the https scheme (Secure cookie) come from its headers.
        app.UseForwardedHeaders();
        // Headers, finite query numbers, and the masking of personal data in every text answer (docs/security in SECURITY.md).
        app.UseHotlineSecurity();
        app.UseExceptionHandler("/error");
        // Pages answer 404/403/… with a page that names the problem and offers the way back; the API keeps bare codes.
        app.UseWhen(ctx => !ctx.Request.Path.StartsWithSegments("/api"), a => a.UseStatusCodePagesWithReExecute("/status/{0}"));
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        CallsApi.Map(app);
        LibraryApi.Map(app);
        DashboardCsv.Map(app);
        // The JSON API's description, behind the login like the API itself.
        app.MapOpenApi("/api/openapi.json");
        StaticAssets.Map(app);
        app.MapHangfireDashboardWithAuthorizationPolicy(Roles.AdminPolicy, "/hangfire", new DashboardOptions
        {
            DashboardTitle = "HotlineQA jobs",
            AppPath = "/",
            DisplayStorageConnectionString = false,
        });
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        return app;
    }

    private static void AddWeb(IServiceCollection services, IConfiguration configuration)
    {
        services.AddHotlineQA(configuration);
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.Section));
        var web = configuration.GetSection(WebOptions.Section).Get<WebOptions>() ?? new WebOptions();
        services.AddSingleton<UserAccounts>();
        services.AddOpenApi();
        services.AddSingleton<HotlineQA.Review.TriageStore>();
        services.AddSingleton<HotlineQA.Review.LibraryStore>();
        services.AddSingleton<HotlineQA.Review.ClipExporter>();
        services.AddSingleton<HotlineQA.Review.DashboardStore>();
        services.AddHostedService<AdminBootstrap>();

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Loopback proxies are trusted by default; others only when listed (a forged header from a client is ignored).
            foreach (var p in web.KnownProxies)
                o.KnownProxies.Add(System.Net.IPAddress.TryParse(p, out var ip) ? ip
                    : throw new OptionsValidationException(WebOptions.Section, typeof(WebOptions), [$"Web:KnownProxies: '{p}' is not an IP address"]));
        });
        // Chinese text is written as it is rather than as &#x…; entities (smaller pages; the masking sees the numerals).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddSingleton<LoginThrottle>();

        services.AddDataProtection()
            .SetApplicationName("HotlineQA")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath(web.DataProtectionKeysPath)));

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/denied";
                o.Cookie.Name = "hotlineqa.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(web.SessionHours);
                // The API answers 401/403; only pages are sent to the login form.
                o.Events.OnRedirectToLogin = ctx => ApiOr(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiOr(ctx, StatusCodes.Status403Forbidden);
                // Every request: the account must still exist, be active, have the cookie's role and the cookie's
                // security stamp (a password or role change, a deactivation or a logout ends the session at once).
                o.Events.OnValidatePrincipal = ValidateSessionAsync;
            });
        services.AddAuthorizationBuilder()
            // Everything requires a login unless a page or endpoint opts out ([AllowAnonymous]).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Roles.AdminPolicy, p => p.RequireRole(Roles.Admin));
        services.AddAntiforgery(o => o.Cookie.Name = "hotlineqa.xsrf");
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Only posts of the login form count, per client address (any user name: password spraying); showing the
            // form is never limited. Per user name and address, LoginThrottle counts in the page; per account, the lockout.
            o.AddPolicy(LoginRateLimit, ctx => HttpMethods.IsPost(ctx.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, web.LoginAttemptsPerMinutePerAddress), Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("get"));
        });
        // Pages are found through the entry assembly by default; name ours, so a test host finds them too.
        services.AddRazorPages(o => o.RootDirectory = "/Web/Pages").AddApplicationPart(typeof(WebApp).Assembly);
        // Razor would write every Chinese character as &#x…; entities (about 8 bytes each); UTF-8 pages need no escaping
        // beyond HTML's own characters, which the encoder still escapes.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        });
    }

    public const string StampClaim = "hotlineqa:stamp";

    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext ctx)
    {
        var p = ctx.Principal;
        var accounts = ctx.HttpContext.RequestServices.GetRequiredService<UserAccounts>();
        if (await accounts.IsSessionValidAsync(p?.Identity?.Name, p?.FindFirst(ClaimTypes.Role)?.Value, p?.FindFirst(StampClaim)?.Value, ctx.HttpContext.RequestAborted))
            return;
        ctx.RejectPrincipal();
        await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    private static Task ApiOr(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api")) ctx.Response.StatusCode = status;
        else ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
