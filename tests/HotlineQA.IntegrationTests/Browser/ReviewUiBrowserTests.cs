using Microsoft.Playwright;

namespace HotlineQA.IntegrationTests.Browser;

[CollectionDefinition("browser")]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>;

/// <summary>End-to-end through real headless Chromium: what a reviewer, a coach and an anonymous visitor can do.</summary>
[Collection("browser")]
public sealed class ReviewUiBrowserTests(BrowserFixture fx)
{
    [Fact]
    public async Task Queue_ShouldListFlaggedCallsFirst_WhenReviewerLogsIn()
    {
        var page = await fx.NewPageAsync("rita", BrowserFixture.ReviewerPassword);
        await page.GotoAsync("/");
        var ids = await page.Locator("#calls tbody tr").EvaluateAllAsync<long[]>("rows => rows.map(r => Number(r.dataset.callId))");
        Assert.Equal(fx.FlaggedId, ids[0]);
        Assert.Contains(fx.GoodId, ids);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("queue.png") });
        await page.Context.CloseAsync();
    }
}
