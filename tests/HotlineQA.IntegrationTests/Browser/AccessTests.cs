using System.Net;
using System.Text.RegularExpressions;
using HotlineQA.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace HotlineQA.IntegrationTests.Browser;

/// <summary>Who may reach what: anonymous visitors nothing, coaches and reviewers no admin page.</summary>
[Collection("browser")]
public sealed partial class AccessTests(BrowserFixture fx)
{
    private static readonly string[] AdminPages = ["/admin/users", "/admin/audit", "/hangfire"];

    [Fact]
    public async Task EveryRoute_ShouldRefuseAccess_WhenAnonymous()
    {
        // Every endpoint the host maps, with its route values filled in; the only anonymous ones are the login and health check.
        var routes = fx.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(e => "/" + RouteParameter().Replace(e.RoutePattern.RawText!.TrimStart('/'), fx.FlaggedId.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Distinct().ToList();
        Assert.Contains("/triage", routes);
        Assert.Contains($"/calls/{fx.FlaggedId}", routes);
        Assert.Contains("/admin/users", routes);
        Assert.True(routes.Count >= 10, string.Join(", ", routes));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fx.BaseAddress };
        foreach (var path in routes.Append("/hangfire"))
        {
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
            {
                var r = await http.SendAsync(new HttpRequestMessage(method, path));
                var refused = r.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest or HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound
                    || (r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location!.OriginalString.Contains("/login", StringComparison.Ordinal));
                Assert.True(refused, $"{method} {path} answered {(int)r.StatusCode} to an anonymous visitor");
                if (method == HttpMethod.Get && r.StatusCode is not (HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound))
                    Assert.True(r.StatusCode is HttpStatusCode.Unauthorized || r.StatusCode == HttpStatusCode.Redirect, $"GET {path}: {(int)r.StatusCode}");
            }
        }
        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
    }

    [Theory]
    [InlineData("cora", BrowserFixture.CoachPassword)]
    [InlineData("rita", BrowserFixture.ReviewerPassword)]
    public async Task AdminPages_ShouldBeDenied_WhenNotAdmin(string user, string password)
    {
        var page = await fx.NewPageAsync(user, password);
        foreach (var path in AdminPages)
        {
            await page.GotoAsync(path);
            Assert.Contains("/denied", page.Url, StringComparison.Ordinal);
        }
        Assert.Equal(0, await page.Locator("a[href='/admin/users']").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AdminUsers_ShouldCreateAUserAndAuditIt_WhenAdmin()
    {
        var page = await fx.NewPageAsync("admin", BrowserFixture.AdminPassword);
        foreach (var path in AdminPages)
        {
            var r = await page.GotoAsync(path);
            Assert.Equal(200, r!.Status);
        }
        await page.GotoAsync("/admin/users");
        await page.FillAsync("#user-form input[name=name]", "carl");
        await page.FillAsync("#user-form input[name=password]", "carl-pass-123");
        await page.SelectOptionAsync("#user-form select[name=role]", "coach");
        await page.ClickAsync("#user-form button[type=submit]");
        await page.WaitForSelectorAsync("#users tr[data-user=carl]");
        await page.GotoAsync("/admin/audit");
        var row = page.Locator("#audit tr[data-action='user.create']").Filter(new LocatorFilterOptions { HasText = "user:carl" });
        Assert.Equal(1, await row.CountAsync());
        Assert.DoesNotContain("carl-pass-123", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal("coach", (await fx.Services.GetRequiredService<UserStore>().GetByNameAsync("carl"))!.Role);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Api_ShouldServeTriageVerdictsAndOpenApi_WhenLoggedIn()
    {
        var page = await fx.NewPageAsync("rita", BrowserFixture.ReviewerPassword);
        var spec = await (await page.APIRequest.GetAsync("/api/openapi.json")).TextAsync();
        Assert.Contains("\"/api/triage\"", spec, StringComparison.Ordinal);
        Assert.Contains("\"/api/calls/{id}\"", spec, StringComparison.Ordinal);
        var triage = System.Text.Json.JsonDocument.Parse(await (await page.APIRequest.GetAsync("/api/triage?item=APOLOGY&queue=complaints")).TextAsync()).RootElement;
        Assert.Equal(1, triage.GetArrayLength());
        Assert.Equal(fx.FlaggedId, triage[0].GetProperty("id").GetInt64());
        Assert.Equal(-0.6, triage[0].GetProperty("sentimentEnd").GetDouble());
        Assert.Equal("worse", triage[0].GetProperty("sentimentTrend").GetString());
        Assert.Equal(400, (await page.APIRequest.GetAsync("/api/triage?sort=nonsense")).Status);
        Assert.Equal(400, (await page.APIRequest.GetAsync("/api/triage?sentiment=nonsense")).Status);
        var unhappy = System.Text.Json.JsonDocument.Parse(await (await page.APIRequest.GetAsync("/api/triage?sentiment=unhappy")).TextAsync()).RootElement;
        Assert.Equal([fx.FlaggedId], unhappy.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        var call = System.Text.Json.JsonDocument.Parse(await (await page.APIRequest.GetAsync($"/api/calls/{fx.FlaggedId}")).TextAsync()).RootElement;
        var cs = call.GetProperty("score").GetProperty("customerSentiment");
        Assert.Equal((-0.4, -0.2, -0.6, "worse"), (cs.GetProperty("overall").GetDouble(), cs.GetProperty("start").GetDouble(), cs.GetProperty("end").GetDouble(), cs.GetProperty("trend").GetString()));
        Assert.Equal(2, cs.GetProperty("turns").GetArrayLength());
        var good = System.Text.Json.JsonDocument.Parse(await (await page.APIRequest.GetAsync($"/api/calls/{fx.GoodId}")).TextAsync()).RootElement;
        Assert.False(good.GetProperty("score").TryGetProperty("customerSentiment", out _)); // none stored: omitted (null)
        await page.Context.CloseAsync();
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
