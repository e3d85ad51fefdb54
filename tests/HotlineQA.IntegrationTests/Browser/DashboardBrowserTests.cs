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
        // One week of data (the seeded calls started on 2026-11-20): every chart draws its single point.
        await page.GotoAsync("/dashboard?from=2026-11-16&to=2026-11-22");
        Assert.Equal("100%", await page.InnerTextAsync("#ledger tr[data-item=GREETING] .precision"));
        Assert.Equal("0%", await page.InnerTextAsync("#ledger tr[data-item=ESCALATION_RISK] .precision"));
        Assert.Contains("开场问候", await page.InnerTextAsync("#ledger tr[data-item=GREETING]"));
        const string Series = "id => Object.fromEntries(Chart.getChart(id).data.datasets.map(d => [d.label, d.data]))";
        var agents = await page.EvaluateAsync<Dictionary<string, double?[]>>(Series, "chart-agents");
        Assert.InRange(Assert.Single(agents["agent-7"])!.Value, 69.2, 69.3); // (38.5 + 100) / 2, one decimal
        Assert.Equal([72.0], agents["agent-9"]);
        Assert.Equal(["2026-11-16"], await page.EvaluateAsync<string[]>("() => Chart.getChart('chart-agents').data.labels"));
        // A single point is drawn (Chart.js puts it in the middle of a category axis), with axes titled.
        Assert.Equal(1, await page.EvaluateAsync<int>("() => Chart.getChart('chart-agents').getDatasetMeta(0).data.filter(p => !p.skip && isFinite(p.x) && isFinite(p.y)).length"));
        Assert.Contains("平均分", await page.EvaluateAsync<string>("() => Chart.getChart('chart-agents').options.scales.y.title.text"));
        var items = await page.EvaluateAsync<Dictionary<string, double?[]>>(Series, "chart-items");
        Assert.Equal([0.5], items["开场问候"]); // GREETING failed on one of agent-7's two calls (agent-9's call has no GREETING)
        Assert.Equal(4, await page.EvaluateAsync<int>("() => ['chart-agents','chart-items','chart-queues','chart-ledger'].filter(id => Chart.getChart(id)).length"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("dashboard.png"), FullPage = true });

        // Reviewed scores: agent-7's flagged call is 57.1 after the verdicts (escalation overturned, the unsure apology
        // not judged), so the reviewed weekly mean is (57.1 + 100) / 2.
        await page.GotoAsync("/dashboard?from=2026-11-16&to=2026-11-22&basis=reviewed");
        agents = await page.EvaluateAsync<Dictionary<string, double?[]>>(Series, "chart-agents");
        Assert.InRange(Assert.Single(agents["agent-7"])!.Value, 78.5, 78.6);

        var csv = await (await page.APIRequest.GetAsync("/dashboard/ledger.csv")).TextAsync();
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("item,confirmed,overturned,precision", lines[0]);
        Assert.Contains("ESCALATION_RISK,0,1,0", lines);
        Assert.Contains("GREETING,1,0,1", lines);
        var agentsCsv = await (await page.APIRequest.GetAsync("/dashboard/agents.csv")).TextAsync();
        // agent-7 has two calls in the week of Monday 2026-11-16: 38.5 and 100 → 69.25; reviewed: 57.1 and 100.
        Assert.Contains("agent-7,2026-11-16,69.25,2", agentsCsv, StringComparison.Ordinal);
        agentsCsv = await (await page.APIRequest.GetAsync("/dashboard/agents.csv?basis=reviewed")).TextAsync();
        Assert.Contains("agent-7,2026-11-16,78.55,2", agentsCsv, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
