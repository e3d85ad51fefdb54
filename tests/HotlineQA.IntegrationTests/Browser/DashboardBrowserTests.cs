using HotlineQA.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace HotlineQA.IntegrationTests.Browser;

[Collection("browser")]
public sealed class DashboardBrowserTests(BrowserFixture fx)
{
    [Fact]
    public async Task Dashboard_ShouldShowThePrecisionLedgerTrendsAndCsv_WhenVerdictsExist()
    {
        var sp = fx.Services;
        var scores = sp.GetRequiredService<ScoreStore>();
        var findings = await scores.ListFindingsAsync((await scores.GetCurrentAsync(fx.FlaggedId))!.Id);
        var reviews = sp.GetRequiredService<ReviewStore>();
        await reviews.AddVerdictAsync(findings.Single(f => f.Item == "GREETING").Id, "rita", Verdicts.Confirm, null);
        var escalation = findings.Single(f => f.Item == "ESCALATION_RISK").Id;
        await reviews.AddVerdictAsync(escalation, "rita", Verdicts.Confirm, null);
        // The newest verdict counts: confirmed, then overturned → overturned.
        await reviews.AddVerdictAsync(escalation, "rita", Verdicts.Overturn, "customer was joking");

        var page = await fx.NewPageAsync("cora", BrowserFixture.CoachPassword);
        await page.GotoAsync("/dashboard");
        Assert.Equal("100%", await page.InnerTextAsync("#ledger tr[data-item=GREETING] .precision"));
        Assert.Equal("0%", await page.InnerTextAsync("#ledger tr[data-item=ESCALATION_RISK] .precision"));
        Assert.Equal(1, await page.Locator("#agent-charts figure[data-agent=agent-7] polyline").CountAsync());
        Assert.Equal(1, await page.Locator("#agent-charts figure[data-agent=agent-9] polyline").CountAsync());
        Assert.Equal(1, await page.Locator("#item-charts figure[data-item=GREETING] polyline").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("dashboard.png") });

        var csv = await (await page.APIRequest.GetAsync("/dashboard/ledger.csv")).TextAsync();
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("item,confirmed,overturned,precision", lines[0]);
        Assert.Contains("ESCALATION_RISK,0,1,0", lines);
        Assert.Contains("GREETING,1,0,1", lines);
        var agents = await (await page.APIRequest.GetAsync("/dashboard/agents.csv")).TextAsync();
        // agent-7 has two calls in the week of Monday 2026-11-16: 38.5 and 100 → 69.25.
        Assert.Contains("agent-7,2026-11-16,69.25,2", agents, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
