using static HotlineQA.IntegrationTests.Browser.BrowserFixture;
using HotlineQA.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace HotlineQA.IntegrationTests.Browser;

[CollectionDefinition("browser")]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>;

/// <summary>End-to-end through real headless Chromium: what a reviewer, a coach and an anonymous visitor can do.</summary>
[Collection("browser")]
public sealed class ReviewUiBrowserTests(BrowserFixture fx)
{
    [Fact]
    public async Task Triage_ShouldListFlaggedFirstAndFilter_WhenReviewerLogsIn()
    {
        var page = await fx.NewPageAsync("rita", BrowserFixture.ReviewerPassword);
        await page.GotoAsync("/triage?to=2026-11-20");
        Assert.Equal(new[] { fx.FlaggedId, fx.OtherAgentId, fx.GoodId }, await RowIdsAsync(page));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("queue.png") });

        await page.SelectOptionAsync("#filters select[name=agent]", "agent-9");
        await page.ClickAsync("#filters button[type=submit]");
        await WaitForUrlAsync(page, u => u.Contains("agent=agent-9", StringComparison.Ordinal));
        Assert.Equal(new[] { fx.OtherAgentId }, await RowIdsAsync(page));

        await page.GotoAsync("/triage?item=APOLOGY&to=2026-11-20");
        Assert.Equal(new[] { fx.FlaggedId }, await RowIdsAsync(page));
        await page.GotoAsync("/triage?reason=ESCALATION_RISK");
        Assert.Equal(new[] { fx.FlaggedId }, await RowIdsAsync(page));
        await page.GotoAsync("/triage?severity=minor&sort=score_desc");
        Assert.Equal(new[] { fx.OtherAgentId }, await RowIdsAsync(page));
        await page.GotoAsync("/triage?minScore=50&sort=score&to=2026-11-20");
        Assert.Equal(new[] { fx.OtherAgentId, fx.GoodId }, await RowIdsAsync(page));
        await page.GotoAsync("/triage?from=2026-11-28");
        Assert.Equal(1, await page.Locator("#empty").CountAsync());

        // Open a flagged call from the queue.
        await page.GotoAsync("/triage?to=2026-11-20");
        await page.ClickAsync($"#queue tr[data-call-id='{fx.FlaggedId}'] a");
        await WaitForUrlAsync(page, u => u.EndsWith($"/calls/{fx.FlaggedId}", StringComparison.Ordinal));
        Assert.Equal(1, await page.Locator("#findings tr[data-item=GREETING]").CountAsync());
        // Passes and not-applicable items are folded away and ask for no verdict.
        Assert.Equal(1, await page.Locator("#folded tr[data-item=CLOSING]").CountAsync());
        Assert.Equal(0, await page.Locator("#folded form.verdict-form").CountAsync());
        Assert.False(await page.Locator("#folded tr[data-item=CLOSING]").IsVisibleAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reviewer_ShouldJudgeThreeCallsByKeyboardAlone_AndSeeTheReviewedScoresAndFlags()
    {
        var page = await fx.NewPageAsync("rita", BrowserFixture.ReviewerPassword);
        await page.GotoAsync("/triage?queue=keyboard&reviewed=no");
        Assert.Equal(fx.KeyboardIds.ToArray(), await RowIdsAsync(page));
        Assert.Equal(3, await page.Locator("#queue .badge.open").CountAsync());
        await page.ClickAsync($"#queue tr[data-call-id='{fx.KeyboardIds[0]}'] a");

        // A verdict posts and comes back to /calls/{id}?after={finding}: wait for *this* verdict's page — the URL of the
        // previous verdict on the same call also holds "?after=", and reading that page raced the post.
        async Task Press(string key, long callId)
        {
            var before = page.Url;
            await page.Keyboard.PressAsync(key);
            await WaitForUrlAsync(page, u => u != before && u.Contains($"/calls/{callId}?after=", StringComparison.Ordinal));
        }
        string Text(string id) => page.Locator(id).InnerTextAsync().GetAwaiter().GetResult();

        // Call 1: SOLUTION failed (25, flagged for the score). Space plays and pauses; X overturns the selected finding.
        await WaitForUrlAsync(page, u => u.EndsWith($"/calls/{fx.KeyboardIds[0]}", StringComparison.Ordinal));
        Assert.Equal("SOLUTION", await page.Locator("tr.finding.selected").GetAttributeAsync("data-item"));
        await page.Keyboard.PressAsync(" ");
        await page.WaitForFunctionAsync("() => !document.getElementById('player').paused");
        await page.Keyboard.PressAsync(" ");
        await page.WaitForFunctionAsync("() => document.getElementById('player').paused");
        await Press("x", fx.KeyboardIds[0]);
        Assert.Equal("100.0", await page.Locator("#reviewed-score").GetAttributeAsync("data-score"));
        Assert.Equal("false", await page.Locator("#reviewed-flag").GetAttributeAsync("data-flagged"));
        Assert.Equal("true", await page.Locator("#review-state").GetAttributeAsync("data-reviewed"));
        Assert.Equal("25.0", (await page.InnerTextAsync("#call-score")).Split(' ')[0]); // the automatic score stays beside it

        // N: the next call of the queue. Call 2: an absence failure and a fired signal; overturn both, one key each.
        await page.Keyboard.PressAsync("n");
        await WaitForUrlAsync(page, u => u.EndsWith($"/calls/{fx.KeyboardIds[1]}", StringComparison.Ordinal));
        Assert.Equal("APOLOGY", await page.Locator("tr.finding.selected").GetAttributeAsync("data-item"));
        Assert.Contains("应在此后做到", Text("tr[data-item=APOLOGY]")); // due after the customer's line, not the customer's fault
        await Press("x", fx.KeyboardIds[1]);
        Assert.Equal("false", await page.Locator("#review-state").GetAttributeAsync("data-reviewed"));
        Assert.Equal("NEGATIVE_END", await page.Locator("tr.finding.selected").GetAttributeAsync("data-item")); // the next open finding
        await Press("x", fx.KeyboardIds[1]);
        Assert.Equal(("100.0", "false", "true"), (await page.Locator("#reviewed-score").GetAttributeAsync("data-score"),
            await page.Locator("#reviewed-flag").GetAttributeAsync("data-flagged"), await page.Locator("#review-state").GetAttributeAsync("data-reviewed")));

        // Call 3: the forbidden phrase is confirmed (C): the critical cap and the flag stay.
        await page.Keyboard.PressAsync("n");
        await WaitForUrlAsync(page, u => u.EndsWith($"/calls/{fx.KeyboardIds[2]}", StringComparison.Ordinal));
        await Press("c", fx.KeyboardIds[2]);
        Assert.Equal(("59.0", "true", "true"), (await page.Locator("#reviewed-score").GetAttributeAsync("data-score"),
            await page.Locator("#reviewed-flag").GetAttributeAsync("data-flagged"), await page.Locator("#review-state").GetAttributeAsync("data-reviewed")));
        Assert.Contains("服务禁语", Text("#reviewed-flag"));

        // The calls left "not reviewed"; they are in rita's queue with her name and the reviewed scores.
        await page.GotoAsync("/triage?queue=keyboard&reviewed=no");
        Assert.Equal(1, await page.Locator("#empty").CountAsync());
        await page.GotoAsync("/triage?queue=keyboard&reviewer=me&reviewed=yes");
        Assert.Equal(fx.KeyboardIds.ToArray(), await RowIdsAsync(page));
        Assert.Equal(3, await page.Locator("#queue .badge.reviewed").CountAsync());
        Assert.Equal(3, await page.Locator("#queue .reviewer:text('rita')").CountAsync());
        Assert.Contains("复核 100.0", Text($"#queue tr[data-call-id='{fx.KeyboardIds[0]}']"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("queue-reviewed.png") });
        var scores = fx.Services.GetRequiredService<ScoreStore>();
        var subjects = new HashSet<string>();
        foreach (var id in fx.KeyboardIds)
            foreach (var f in await scores.ListFindingsAsync((await scores.GetCurrentAsync(id))!.Id)) subjects.Add($"finding:{f.Id}");
        var audit = await fx.Services.GetRequiredService<AuditStore>().ListAsync(limit: 100);
        Assert.Equal(4, audit.Count(a => a.Actor == "rita" && a.Action.StartsWith("verdict.", StringComparison.Ordinal) && a.Subject is not null && subjects.Contains(a.Subject)));
        await page.Context.CloseAsync();
    }

    private static async Task<long[]> RowIdsAsync(IPage page) =>
        await page.Locator("#queue tbody tr").EvaluateAllAsync<long[]>("rows => rows.map(r => Number(r.dataset.callId))");

    [Fact]
    public async Task CallPage_ShouldSeekAndPlay_WhenEvidenceClicked()
    {
        var page = await fx.NewPageAsync("rita", BrowserFixture.ReviewerPassword);
        await page.GotoAsync($"/calls/{fx.FlaggedId}");
        // The APOLOGY finding needs listening; its evidence starts at 9.0 s.
        Assert.Equal(1, await page.Locator("#needs-listening tr[data-item=APOLOGY]").CountAsync());
        Assert.Equal(0, await page.Locator("#findings tr[data-item=APOLOGY]").CountAsync());
        await page.Locator("#needs-listening tr[data-item=APOLOGY] button.evidence").ClickAsync();
        await page.WaitForFunctionAsync("() => { const p = document.getElementById('player'); return p.currentTime >= 9.0 && !p.paused; }");
        var t = await page.EvaluateAsync<double>("() => document.getElementById('player').currentTime");
        Assert.InRange(t, 9.0, 11.0);
        // The transcript follows playback: the utterance at 9.0–12.5 s is highlighted.
        await page.WaitForSelectorAsync("tr#u2.playing");
        Assert.Equal(4, await page.Locator("#lanes .speech").CountAsync());
        Assert.Equal(1, await page.Locator("#lanes .overlap").CountAsync());
        // The customer-sentiment lane: one mark per customer turn, the unhappy one red.
        Assert.Equal(2, await page.Locator("#lane-sentiment .mood").CountAsync());
        Assert.Equal(1, await page.Locator("#lane-sentiment .mood-neg").CountAsync());
        Assert.Contains("变差", await page.Locator("#sentiment").InnerTextAsync());
        await page.EvaluateAsync("() => { document.getElementById('player').pause(); window.scrollTo(0, 0); }");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("call.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("#waveform", 4.3)]
    [InlineData("#waveform", 17.6)]
    [InlineData("#lanes", 14.2)]
    public async Task CallPage_ShouldSeekToTheClickedTime_WhenWaveformOrTimelineClicked(string target, double seconds)
    {
        var page = await fx.NewPageAsync("rita", BrowserFixture.ReviewerPassword);
        await page.GotoAsync($"/calls/{fx.GoodId}");
        await page.WaitForSelectorAsync("#waveform[data-ready=true]");
        // Every seek's target is taken from the player's own 'seeking' event, so playback after the seek (and a slow
        // machine between the click and the read) cannot move the figure.
        await page.EvaluateAsync("""
            () => { const p = document.getElementById('player'); window.__seeks = [];
                    p.addEventListener('seeking', () => window.__seeks.push(p.currentTime)); }
            """);
        var box = (await page.Locator(target).BoundingBoxAsync())!;
        // 20 s recording: x = left + width × t / 20, in the waveform's or the lanes' own box.
        await page.Mouse.ClickAsync((float)(box.X + box.Width * seconds / 20.0), box.Y + box.Height - 3);
        var t = await LastSeekAsync(page);
        Assert.InRange(t, seconds - 0.1, seconds + 0.1);

        // A transcript line seeks to its start.
        await page.EvaluateAsync("() => { window.__seeks = []; }");
        await page.ClickAsync("tr#u3 td:last-child");
        Assert.InRange(await LastSeekAsync(page), 13.0, 13.6);
        await page.Context.CloseAsync();
    }

    private static async Task<double> LastSeekAsync(Microsoft.Playwright.IPage page)
    {
        await page.WaitForFunctionAsync("() => window.__seeks.length > 0");
        await page.EvaluateAsync("() => document.getElementById('player').pause()");
        return await page.EvaluateAsync<double>("() => window.__seeks[window.__seeks.length - 1]");
    }

    [Fact]
    public async Task Verdict_ShouldPersistAndBeAudited_WhenReviewerOverturnsAFinding()
    {
        var page = await fx.NewPageAsync("rita", BrowserFixture.ReviewerPassword);
        await page.GotoAsync($"/calls/{fx.OtherAgentId}");
        var row = page.Locator("tr[data-item=FOLLOW_UP]");
        await row.Locator("input[name=note]").FillAsync("time was given at 0:11");
        await row.Locator("button[value=overturn]").ClickAsync();
        await page.WaitForSelectorAsync("tr[data-item=FOLLOW_UP] .current-verdict");
        await page.ReloadAsync();
        var verdict = page.Locator("tr[data-item=FOLLOW_UP] .current-verdict");
        Assert.Equal("overturn", await verdict.GetAttributeAsync("data-verdict"));
        Assert.Contains("time was given at 0:11", await verdict.InnerTextAsync());

        await page.SelectOptionAsync("#disposition-form select[name=disposition]", "coaching");
        await page.ClickAsync("#disposition-form button[type=submit]");
        await page.WaitForSelectorAsync("#current-disposition");
        await page.ReloadAsync();
        Assert.Equal("coaching", await page.Locator("#current-disposition").GetAttributeAsync("data-disposition"));

        var audit = await fx.Services.GetRequiredService<AuditStore>().ListAsync(limit: 50);
        Assert.Contains(audit, a => a.Actor == "rita" && a.Action == "verdict.overturn");
        Assert.Contains(audit, a => a.Actor == "rita" && a.Action == "disposition" && a.Subject == $"call:{fx.OtherAgentId}");
        await page.Context.CloseAsync();
    }
}
