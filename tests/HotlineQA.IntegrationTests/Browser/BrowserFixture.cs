using System.Diagnostics;
using HotlineQA.Host.Web;
using HotlineQA.Scoring;
using HotlineQA.Storage;
using HotlineQA.Transcription;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace HotlineQA.IntegrationTests.Browser;

/// <summary>
/// The real host on a free loopback port over a temporary SQLite file, seeded with scored calls whose recordings are
/// real WAVs rendered by ffmpeg, and Debian's Chromium driven headless through Playwright (never a downloaded browser).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string AdminPassword = "admin-pass-123";
    public const string ReviewerPassword = "reviewer-pass-123";
    public const string CoachPassword = "coach-pass-123";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hotlineqa-browser-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;
    private IPlaywright _playwright = null!;
    private int _seeded;

    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => _app.Services;
    /// <summary>Flagged, low score, findings with evidence (one needs listening).</summary>
    public long FlaggedId { get; private set; }
    public long GoodId { get; private set; }
    public long OtherAgentId { get; private set; }
    /// <summary>Three flagged calls of queue "keyboard" (agent-kb, 2026-11-27) for the keyboard review walk, in priority order.</summary>
    public IReadOnlyList<long> KeyboardIds { get; private set; } = [];

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (scripts/setup.sh) to run the browser tests");
        Directory.CreateDirectory(_dir);
        _app = WebApp.Build("http://127.0.0.1:0", new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "sqlite",
            ["Storage:SqlitePath"] = Path.Combine(_dir, "hotlineqa.db"),
            ["Web:DataProtectionKeysPath"] = Path.Combine(_dir, "keys"),
            ["Web:AdminUser"] = "admin",
            ["Web:AdminPassword"] = AdminPassword,
            ["Pipeline:Workers"] = "0",
            ["Web:LoginAttemptsPerMinute"] = "1000",
            ["Web:LoginAttemptsPerMinutePerAddress"] = "100000", // every page of every test logs in from 127.0.0.1
        });
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        var accounts = _app.Services.GetRequiredService<UserAccounts>();
        await accounts.CreateOrUpdateAsync("rita", ReviewerPassword, Roles.Reviewer);
        await accounts.CreateOrUpdateAsync("cora", CoachPassword, Roles.Coach);
        await SeedAsync();

        // The driver ships in the NuGet package (bin/.playwright); the browser is the system's.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
        });
    }

    /// <summary>
    /// Wait until the page's URL satisfies <paramref name="arrived"/>, by polling the URL rather than through Playwright's
    /// navigation events: under CI load those events were twice never seen for a page that had landed and rendered
    /// (WaitForURL timed out after 90 s waiting for "load", then for "DOMContentLoaded"). On a timeout the message says
    /// where the page is, its document state and its text, so a server error or a refused post reads as one.
    /// </summary>
    public static async Task WaitForUrlAsync(IPage page, Func<string, bool> arrived, int seconds = 90,
        [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(arrived))] string what = "")
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        var (url, state) = (page.Url, "unknown");
        while (DateTime.UtcNow <= deadline)
        {
            // Ask the document itself where it is and how far it got; page.Url (Playwright's view) is the fallback while a
            // navigation has torn the old document down and the new one cannot answer yet.
            var probe = page.EvaluateAsync<string[]>("() => [location.href, document.readyState]");
            _ = probe.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            if (await Task.WhenAny(probe, Task.Delay(2_000)) == probe && probe.IsCompletedSuccessfully)
                (url, state) = (probe.Result[0], probe.Result[1]);
            else
                (url, state) = (page.Url, "navigating");
            if (arrived(url) && state is "interactive" or "complete") return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"waited {seconds} s for a page whose URL satisfies {what}; the page is at {url} (document " +
                                   $"\"{state}\", Playwright sees {page.Url}) — {await DescribeAsync(page)}");
    }

    private static async Task<string> DescribeAsync(IPage page)
    {
        try
        {
            var text = await page.Locator("body").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 5_000 });
            text = text.Trim();
            return text.Length > 600 ? text[..600] + "…" : text;
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException) { return "(no page text: " + e.Message.Split('\n')[0] + ")"; }
    }

    /// <summary>A fresh browser context (own cookies), logged in when a user is given.</summary>
    public async Task<IPage> NewPageAsync(string? user = null, string? password = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString().TrimEnd('/'), ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        // These tests check behaviour, not latency: on the 2-core CI box the integration collections run in parallel
        // (Whisper decodes, ffmpeg, PostgreSQL), and the first login of a run also pays the app's and Chromium's cold
        // start, which once took more than Playwright's default 30 s (a CI failure at the login redirect).
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        var page = await context.NewPageAsync();
        if (user is null) return page;
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=UserName]", user);
        await page.FillAsync("input[name=Password]", password!);
        await page.ClickAsync("button[type=submit]");
        await WaitForUrlAsync(page, u => !u.Contains("/login", StringComparison.Ordinal), what: $"login as {user} leaves /login");
        return page;
    }

    public static string ScreenshotPath(string name)
    {
        var dir = Path.Combine(TestPaths.RepoRoot, "docs", "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    private async Task SeedAsync()
    {
        var sp = _app.Services;
        FlaggedId = await SeedCallAsync(sp, "browser-flagged-call", "agent-7", "complaints", 20, new ScoreResult
        {
            CallId = "browser-flagged-call", RubricVersion = "2026.2", Score = 38.5, Flagged = true, FlagReasons = ["ESCALATION_RISK"], IsComplaint = true,
            CustomerSentiment = new CustomerSentiment
            {
                Overall = -0.4, Start = -0.2, End = -0.6, Trend = CustomerSentiment.Trends.Worse,
                Turns = [new TurnSentiment { Utterance = 1, Start = 3.5, End = 8.0, Score = -0.2 }, new TurnSentiment { Utterance = 3, Start = 13.0, End = 16.0, Score = -0.6 }],
            },
            Findings =
            [
                new Finding { Item = "GREETING", Result = "fail", Severity = "major", Confidence = 0.9, Reason = "opens with a bare 喂",
                    Evidence = [new Evidence { Utterance = 0, Speaker = "agent", Start = 0.5, End = 3.0, Text = "喂，你好。" }] },
                new Finding { Item = "APOLOGY", Result = "fail", Severity = "major", Confidence = 0.55, Reason = "apology paired with policy", NeedsListening = true,
                    Evidence = [new Evidence { Utterance = 2, Speaker = "agent", Start = 9.0, End = 12.5, Text = "不好意思，这是公司规定。" }] },
                new Finding { Item = "ESCALATION_RISK", Result = "fire", Severity = "signal", Confidence = 0.95,
                    Evidence = [new Evidence { Utterance = 1, Speaker = "customer", Start = 3.5, End = 8.0, Text = "我的空调不制冷了，我要投诉你们，电话13812345678。" }] },
                new Finding { Item = "CLOSING", Result = "pass", Severity = "minor", Confidence = 0.9 },
            ],
        });
        GoodId = await SeedCallAsync(sp, "browser-good-call", "agent-7", "inquiry", 20, new ScoreResult
        {
            CallId = "browser-good-call", RubricVersion = "2026.2", Score = 100, Flagged = false, IsComplaint = false,
            Findings =
            [
                new Finding { Item = "GREETING", Result = "pass", Severity = "major", Confidence = 0.95,
                    Evidence = [new Evidence { Utterance = 0, Speaker = "agent", Start = 0.5, End = 3.0, Text = "您好，很高兴为您服务。" }] },
            ],
        });
        OtherAgentId = await SeedCallAsync(sp, "browser-other-agent", "agent-9", "complaints", 20, new ScoreResult
        {
            CallId = "browser-other-agent", RubricVersion = "2026.2", Score = 72, Flagged = false, IsComplaint = true,
            Findings =
            [
                new Finding { Item = "FOLLOW_UP", Result = "fail", Severity = "minor", Confidence = 0.8, Reason = "no time given",
                    Evidence = [new Evidence { Utterance = 2, Speaker = "agent", Start = 9.0, End = 12.5, Text = "我们会处理的。" }] },
            ],
        });
        await SeedKeyboardCallsAsync(sp);
    }

    private async Task SeedKeyboardCallsAsync(IServiceProvider sp)
    {
        static Finding F(string item, string result, string severity, double start = 0.5, double end = 3.0, string speaker = "agent") => new()
        {
            Item = item, Result = result, Severity = severity, Confidence = 0.9,
            Evidence = result == "na" ? [] : [new Evidence { Utterance = speaker == "agent" ? 0 : 1, Speaker = speaker, Start = start, End = end, Text = "…" }],
        };
        var at = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        // Scores as the scorer computes them with the default rubric's weights (major 3, minor 1, critical cap 59).
        var low = await SeedCallAsync(sp, "kb-solution", "agent-kb", "keyboard", 20, new ScoreResult
        {
            RubricVersion = "2026.2", Score = 25, Flagged = true, FlagReasons = ["SCORE_BELOW_70"],
            Findings = [F("SOLUTION", "fail", "major"), F("CLOSING", "pass", "minor"), F("THANKS", "na", "minor")],
        }, at);
        var mid = await SeedCallAsync(sp, "kb-apology", "agent-kb", "keyboard", 20, new ScoreResult
        {
            RubricVersion = "2026.2", Score = 57.1, Flagged = true, FlagReasons = ["SCORE_BELOW_70", "NEGATIVE_END"],
            Findings = [F("GREETING", "pass", "major"), F("APOLOGY", "fail", "major", 3.5, 8.0, "customer"), F("CLOSING", "pass", "minor"),
                F("NEGATIVE_END", "fire", "signal", 13.0, 16.0, "customer")],
        }, at.AddMinutes(5));
        var high = await SeedCallAsync(sp, "kb-forbidden", "agent-kb", "keyboard", 20, new ScoreResult
        {
            RubricVersion = "2026.2", Score = 59, Flagged = true, FlagReasons = ["FORBIDDEN_PHRASE", "SCORE_BELOW_70"],
            Findings = [F("GREETING", "pass", "major"), F("FORBIDDEN_PHRASE", "fail", "critical", 9.0, 12.5), F("CLOSING", "pass", "minor")],
        }, at.AddMinutes(10));
        KeyboardIds = [low, mid, high];
    }

    private async Task<long> SeedCallAsync(IServiceProvider sp, string key, string agent, string queue, int seconds, ScoreResult score, DateTimeOffset? startedAt = null)
    {
        var wav = Path.Combine(_dir, key + ".wav");
        // Distinct tones per call: the same content would be one call (ingest deduplicates by hash).
        var tone = 300 + 40 * ++_seeded;
        // Agent on the left channel, customer on the right: two tones, so the player has real audio to decode and seek.
        await RunAsync("ffmpeg", "-v", "error", "-f", "lavfi", "-i", $"sine=frequency={tone}:sample_rate=16000:duration={seconds}",
            "-f", "lavfi", "-i", $"sine=frequency={tone * 3 / 2}:sample_rate=16000:duration={seconds}",
            "-filter_complex", "[0:a][1:a]join=inputs=2:channel_layout=stereo[a]", "-map", "[a]", "-c:a", "pcm_s16le", wav);
        var calls = sp.GetRequiredService<CallStore>();
        var id = (await calls.RegisterAsync(new NewCall
        {
            CallKey = key, ContentSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(wav))),
            SizeBytes = new FileInfo(wav).Length, SourcePath = wav, Agent = agent, Queue = queue,
            StartedAt = startedAt ?? new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero),
        })).Id;
        var audio = new HotlineQA.Audio.AudioAnalysis
        {
            DurationSec = seconds, Channels = 2, SampleRate = 16000,
            Speech = [new() { Speaker = "agent", Start = 0.5, End = 3.0 }, new() { Speaker = "customer", Start = 3.5, End = 8.0 },
                new() { Speaker = "agent", Start = 7.6, End = 12.5 }, new() { Speaker = "customer", Start = 13.0, End = 16.0 }],
            Silences = [new(16.0, 20.0)],
            Overlaps = [new(7.6, 8.0, "agent")],
        };
        await calls.ResetAsync(id, CallStatus.Scoring);
        await sp.GetRequiredService<HotlineDatabase>().InTransactionAsync(async (c, tx) =>
        {
            await calls.SetAudioAsync(c, tx, id, System.Text.Json.JsonSerializer.Serialize(audio, HotlineQA.Common.HotlineJson.Options), seconds, 2);
            await sp.GetRequiredService<UtteranceStore>().ReplaceAsync(c, tx, id,
            [
                new Utterance { Speaker = "agent", Start = 0.5, End = 3.0, Text = score.Findings[0].Evidence.FirstOrDefault()?.Text ?? "您好。" },
                new Utterance { Speaker = "customer", Start = 3.5, End = 8.0, Text = "我的空调不制冷了，我要投诉你们，电话13812345678。" },
                new Utterance { Speaker = "agent", Start = 9.0, End = 12.5, Text = "不好意思，这是公司规定。" },
                new Utterance { Speaker = "customer", Start = 13.0, End = 16.0, Text = "那好吧，再见。" },
            ]);
            await sp.GetRequiredService<ScoreStore>().SaveAsync(c, tx, id, score);
            Assert.True(await calls.AdvanceAsync(c, tx, id, [CallStatus.Scoring], CallStatus.Scored));
        });
        return id;
    }

    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{file} could not be started");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} exited {p.ExitCode}: {stderr}");
        return await stdout;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
