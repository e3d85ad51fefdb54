namespace HotlineQA.IntegrationTests.Browser;
[Collection("browser")]
public sealed class TmpWeight(BrowserFixture fx)
{
    [Fact]
    public async Task Weigh()
    {
        var page = await fx.NewPageAsync("rita", BrowserFixture.ReviewerPassword);
        var sizes = new System.Collections.Concurrent.ConcurrentBag<string>();
        page.Response += (_, r) => { try { var b = r.BodyAsync().GetAwaiter().GetResult(); sizes.Add($"{r.Url} {r.Headers.GetValueOrDefault("content-type")} {b.Length}"); } catch { } };
        foreach (var url in new[] { $"/calls/{fx.FlaggedId}", "/triage", "/dashboard", "/library" })
        {
            sizes.Add("== " + url);
            await page.GotoAsync(url);
            await page.WaitForTimeoutAsync(1500);
            File.WriteAllText("/tmp/i16-weight.txt", string.Join("\n", sizes.Reverse()));
        }
        await page.Context.CloseAsync();
    }
}
