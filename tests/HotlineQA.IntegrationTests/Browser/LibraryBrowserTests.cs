using static HotlineQA.IntegrationTests.Browser.BrowserFixture;
using System.Globalization;
using Microsoft.Playwright;

namespace HotlineQA.IntegrationTests.Browser;

/// <summary>The coach library in real Chromium: find examples, save them to a collection, export a clip.</summary>
[Collection("browser")]
public sealed class LibraryBrowserTests(BrowserFixture fx)
{
    [Fact]
    public async Task Library_ShouldFindByItemAndOutcomeAndSaveToACollection_WhenCoachSearches()
    {
        var page = await fx.NewPageAsync("cora", BrowserFixture.CoachPassword);
        await page.GotoAsync("/library?item=GREETING&outcome=bad&to=2026-11-20");
        var rows = page.Locator("#examples tbody tr");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal("bad", await rows.First.GetAttributeAsync("data-outcome"));
        await page.GotoAsync("/library?item=GREETING&outcome=good&to=2026-11-20");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Contains("browser-good-call", await rows.First.InnerTextAsync());
        await page.GotoAsync("/library?agent=agent-9");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal("FOLLOW_UP", await rows.First.GetAttributeAsync("data-item"));

        // Personal data is masked in the evidence the library shows.
        await page.GotoAsync("/library?outcome=bad");
        Assert.DoesNotContain("13812345678", await page.ContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("library.png") });

        await page.GotoAsync("/library?item=GREETING&outcome=good&to=2026-11-20");
        await page.FillAsync("#examples .save-form input[name=collection]", "好的开场 good openings");
        await page.ClickAsync("#examples .save-form button[type=submit]");
        await WaitForUrlAsync(page, u => u.Contains("/library/collections/", StringComparison.Ordinal));
        Assert.Equal("好的开场 good openings", await page.InnerTextAsync("#collection-name"));
        Assert.Equal(1, await page.Locator("#collection-items tbody tr").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Library_ShouldFindExamplesByAChineseItemNameAndByAPhrase_WhenCoachTypesChinese()
    {
        var page = await fx.NewPageAsync("cora", BrowserFixture.CoachPassword);
        await page.GotoAsync("/library?to=2026-11-20");
        // Typed into the form as a coach would: the item's Chinese name from the rubric file, not its id.
        await page.FillAsync("#filters input[name=item]", "致歉");
        await page.ClickAsync("#filters button[type=submit]");
        await WaitForUrlAsync(page, u => u.Contains("item=", StringComparison.Ordinal));
        var rows = page.Locator("#examples tbody tr");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal("APOLOGY", await rows.First.GetAttributeAsync("data-item"));
        Assert.Contains("真诚致歉", await rows.First.InnerTextAsync());
        Assert.DoesNotContain("APOLOGY", await rows.First.InnerTextAsync());

        // The everyday word, not the rubric's name: 道歉 is one of the item's aliases in the rubric file.
        await page.GotoAsync("/library?item=" + Uri.EscapeDataString("道歉") + "&to=2026-11-20");
        Assert.Contains("APOLOGY", await page.Locator("#examples tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.item)"));

        await page.GotoAsync("/library?item=" + Uri.EscapeDataString("开场问候") + "&outcome=bad&to=2026-11-20");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal("GREETING", await rows.First.GetAttributeAsync("data-item"));
        await page.GotoAsync("/library?item=" + Uri.EscapeDataString("没有这个规则"));
        Assert.Equal(0, await rows.CountAsync());

        // A phrase of the transcript (only the good call's agent said it).
        await page.GotoAsync("/library");
        await page.FillAsync("#filters input[name=q]", "很高兴为您服务");
        await page.ClickAsync("#filters button[type=submit]");
        await WaitForUrlAsync(page, u => u.Contains("q=", StringComparison.Ordinal));
        Assert.Equal(1, await rows.CountAsync());
        Assert.Contains("browser-good-call", await rows.First.InnerTextAsync());
        await page.GotoAsync("/library?q=" + Uri.EscapeDataString("退货"));
        Assert.Equal(0, await rows.CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ClipExport_ShouldBeAPlayableWavOfThePaddedLengthWithMaskedText_WhenExported()
    {
        var page = await fx.NewPageAsync("cora", BrowserFixture.CoachPassword);
        await page.GotoAsync("/library?item=GREETING&outcome=bad&to=2026-11-20");
        var href = await page.Locator("#examples a.clip-wav").First.GetAttributeAsync("href");
        // Evidence 0.5–3.0 s with 6 s padding: clamped at 0, so 0–9.0 s, which takes in the customer's phone number.
        var wav = await page.APIRequest.GetAsync(href + "?pad=6");
        Assert.Equal(200, wav.Status);
        var path = Path.Combine(Path.GetTempPath(), $"hotlineqa-clip-test-{Guid.NewGuid():N}.wav");
        try
        {
            await File.WriteAllBytesAsync(path, await wav.BodyAsync());
            var probe = await BrowserFixture.RunAsync("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,sample_rate:format=duration", "-of", "default=nw=1", path);
            Assert.Contains("codec_name=pcm_s16le", probe);
            Assert.Contains("sample_rate=16000", probe);
            var duration = double.Parse(probe.Split('\n').Single(l => l.StartsWith("duration=", StringComparison.Ordinal))["duration=".Length..], CultureInfo.InvariantCulture);
            Assert.InRange(duration, 8.95, 9.05);
        }
        finally { File.Delete(path); }

        var text = await (await page.APIRequest.GetAsync(href!.Replace(".wav", ".txt", StringComparison.Ordinal) + "?pad=6")).TextAsync();
        Assert.Contains("***********", text, StringComparison.Ordinal);
        Assert.DoesNotContain("13812345678", text, StringComparison.Ordinal);
        Assert.Contains("customer", text, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
