using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotlineQA.Host.Web;
using HotlineQA.Scoring;
using HotlineQA.Storage;
using HotlineQA.Transcription;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineQA.IntegrationTests.Web;

/// <summary>The real web host on a free loopback port over a temporary SQLite file, with one scored and one failed call.</summary>
public sealed class WebHostFixture : IAsyncLifetime
{
    public const string AdminPassword = "admin-pass-123";
    public const string ReviewerPassword = "reviewer-pass-123";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hotlineqa-web-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;

    public Uri BaseAddress { get; private set; } = null!;
    public long ScoredId { get; private set; }
    public long FailedId { get; private set; }
    public long BatchId { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _app = WebApp.Build("http://127.0.0.1:0", new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "sqlite",
            ["Storage:SqlitePath"] = Path.Combine(_dir, "hotlineqa.db"),
            ["Web:DataProtectionKeysPath"] = Path.Combine(_dir, "keys"),
            ["Web:AdminUser"] = "admin",
            ["Web:AdminPassword"] = AdminPassword,
            // No workers: the seeded calls must stay as the test leaves them (recovery would pick up a pending call).
            ["Pipeline:Workers"] = "0",
            // Every test logs in from 127.0.0.1; the limit itself is tested on a host of its own.
            ["Web:LoginAttemptsPerMinute"] = "1000",
        });
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        var sp = _app.Services;
        await sp.GetRequiredService<UserAccounts>().CreateOrUpdateAsync("rita", ReviewerPassword, Roles.Reviewer);
        var calls = sp.GetRequiredService<CallStore>();
        var recording = Path.Combine(_dir, "web-scored-call.wav");
        await File.WriteAllBytesAsync(recording, HotlineQA.Host.Demo.WavFile.Encode(new short[16000 * 2], channels: 2, sampleRate: 16000));
        ScoredId = (await calls.RegisterAsync(NewCall("web-scored-call") with { SourcePath = recording })).Id;
        FailedId = (await calls.RegisterAsync(NewCall("web-failed-call"))).Id;
        // Both calls came in with the night's batch (assigned while still pending, as the batch runner does).
        var batches = sp.GetRequiredService<BatchStore>();
        BatchId = await batches.StartAsync("schedule", cutoffAt: null);
        await batches.AssignAsync(BatchId, [ScoredId, FailedId]);
        await batches.SetIngestCountsAsync(BatchId, found: 3, newCalls: 2, duplicate: 1, rejected: 0, adopted: 0);
        await calls.MarkFailedAsync(FailedId, "91-broken-empty.wav: the file is empty (0 bytes)");

        await calls.ResetAsync(ScoredId, CallStatus.Scoring);
        var db = sp.GetRequiredService<HotlineDatabase>();
        await db.InTransactionAsync(async (c, tx) =>
        {
            await sp.GetRequiredService<UtteranceStore>().ReplaceAsync(c, tx, ScoredId,
            [
                new Utterance { Speaker = "agent", Start = 0.5, End = 3.0, Text = "喂，你好。" },
                new Utterance { Speaker = "customer", Start = 3.4, End = 6.0, Text = "我的空调不制冷了，我要投诉你们。" },
            ]);
            await sp.GetRequiredService<ScoreStore>().SaveAsync(c, tx, ScoredId, new ScoreResult
            {
                CallId = "web-scored-call", RubricVersion = "2026.2", Score = 42.5, Flagged = true, FlagReasons = ["ESCALATION_RISK"], IsComplaint = true,
                Findings =
                [
                    new Finding { Item = "GREETING", Result = "fail", Severity = "major", Confidence = 0.9, Reason = "opens with a bare 喂",
                        Evidence = [new Evidence { Utterance = 0, Speaker = "agent", Start = 0.5, End = 3.0, Text = "喂，你好。" }] },
                    new Finding { Item = "ESCALATION_RISK", Result = "fire", Severity = "signal", Confidence = 0.95,
                        Evidence = [new Evidence { Utterance = 1, Speaker = "customer", Start = 3.4, End = 6.0, Text = "我的空调不制冷了，我要投诉你们。" }] },
                ],
            });
            Assert.True(await calls.AdvanceAsync(c, tx, ScoredId, [CallStatus.Scoring], CallStatus.Scored));
        });
    }

    private static NewCall NewCall(string key) => new()
    {
        CallKey = key, ContentSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))),
        SizeBytes = 1000, SourcePath = $"/inbox/{key}.wav", Agent = "agent-7", Queue = "complaints",
    };

    public IServiceProvider Services => _app.Services;

    public HttpClient NewClient() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}

public sealed partial class WebHostTests(WebHostFixture fx) : IClassFixture<WebHostFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/calls/1")]
    [InlineData("/hangfire")]
    [InlineData("/batches")]
    public async Task Get_ShouldRedirectToLogin_WhenAnonymous(string path)
    {
        using var http = fx.NewClient();
        var r = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/login", r.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task GetApi_ShouldAnswer401_WhenAnonymous()
    {
        using var http = fx.NewClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/calls")).StatusCode);
    }

    [Fact]
    public async Task Login_ShouldRejectThePost_WhenAntiforgeryTokenMissing()
    {
        using var http = fx.NewClient();
        var r = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "admin", ["Password"] = WebHostFixture.AdminPassword,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Login_ShouldStayOnTheForm_WhenPasswordWrong()
    {
        using var http = fx.NewClient();
        var r = await LoginAsync(http, "admin", "not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("Wrong user name or password", await r.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task CallList_ShouldShowStatusScoreAndFlag_WhenLoggedIn()
    {
        using var http = fx.NewClient();
        var login = await LoginAsync(http, "rita", WebHostFixture.ReviewerPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location!.OriginalString);

        var html = await http.GetStringAsync("/");
        var scoredRow = Row(html, fx.ScoredId);
        Assert.Contains("web-scored-call", scoredRow);
        Assert.Contains("data-code=\"scored\"", scoredRow);
        Assert.Contains("已评分", scoredRow); // the status by its Chinese name, the code on hover
        Assert.Contains(">42.5<", scoredRow);
        Assert.Contains("flagged", scoredRow);
        var failedRow = Row(html, fx.FailedId);
        Assert.Contains("data-code=\"failed\"", failedRow);
        Assert.DoesNotContain("flagged", failedRow);

        var failedOnly = await http.GetStringAsync("/?status=failed");
        Assert.Contains($"data-call-id=\"{fx.FailedId}\"", failedOnly);
        Assert.DoesNotContain($"data-call-id=\"{fx.ScoredId}\"", failedOnly);
        var flaggedOnly = await http.GetStringAsync("/?flagged=true");
        Assert.Contains($"data-call-id=\"{fx.ScoredId}\"", flaggedOnly);
        Assert.DoesNotContain($"data-call-id=\"{fx.FailedId}\"", flaggedOnly);

        var api = JsonDocument.Parse(await http.GetStringAsync("/api/calls")).RootElement;
        Assert.Equal(2, api.GetArrayLength());
        // The list is ordered flagged first.
        Assert.Equal(fx.ScoredId, api[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task CallPage_ShouldShowTranscriptAndFindings_WhenCallScored()
    {
        using var http = fx.NewClient();
        await LoginAsync(http, "rita", WebHostFixture.ReviewerPassword);
        var html = WebUtility.HtmlDecode(await http.GetStringAsync($"/calls/{fx.ScoredId}"));
        Assert.Contains("我的空调不制冷了，我要投诉你们。", html);
        Assert.Contains("data-item=\"GREETING\" data-result=\"fail\"", html);
        Assert.Contains("opens with a bare 喂", html);
        Assert.Contains("ESCALATION_RISK", html);
        Assert.Contains("42.5", html);
        Assert.DoesNotContain("id=\"call-error\"", html);
    }

    [Fact]
    public async Task Batches_ShouldShowCountsFailuresAndThroughput_WhenReviewerLogsIn()
    {
        using var http = fx.NewClient();
        await LoginAsync(http, "rita", WebHostFixture.ReviewerPassword);
        var html = WebUtility.HtmlDecode(await http.GetStringAsync("/batches"));
        var row = Regex.Match(html, $"<tr data-batch-id=\"{fx.BatchId}\" data-status=\"done\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, "the batch row is missing or not done");
        Assert.Contains("<td class=\"total\">2</td>", row.Value);
        Assert.Contains("<td class=\"scored\">1</td>", row.Value);
        Assert.Contains("<td class=\"failed\">1</td>", row.Value);
        Assert.Contains("<td class=\"unfinished\">0</td>", row.Value);
        Assert.Contains("3 found, 2 new, 1 dup", row.Value);
        Assert.DoesNotContain("<td class=\"per-hour\">—</td>", row.Value);
        // Each failure with its reason, linked to the call.
        Assert.Matches($"<tr data-call-id=\"{fx.FailedId}\"><td><a href=\"/calls/{fx.FailedId}\">web-failed-call</a></td><td class=\"reason\">91-broken-empty.wav: the file is empty \\(0 bytes\\)</td>", html);
        Assert.DoesNotContain($"data-call-id=\"{fx.ScoredId}\"", html);
    }

    [Fact]
    public async Task Batches_ShouldStartABatchNowAndAuditIt_WhenAdminAsks_AndRefuseReviewers()
    {
        static string Token(string html) => Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var reviewer = fx.NewClient();
        await LoginAsync(reviewer, "rita", WebHostFixture.ReviewerPassword);
        var reviewerPage = await reviewer.GetStringAsync("/batches");
        Assert.DoesNotContain("id=\"run-batch\"", reviewerPage);
        var refused = await reviewer.PostAsync("/batches?handler=Run", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(await reviewer.GetStringAsync("/calls/" + fx.ScoredId)),
        }));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/denied", refused.Headers.Location!.PathAndQuery); // not /batches?started=…

        using var admin = fx.NewClient();
        await LoginAsync(admin, "admin", WebHostFixture.AdminPassword);
        var before = (await fx.Services.GetRequiredService<BatchStore>().ListAsync(100)).Count;
        var run = await admin.PostAsync("/batches?handler=Run", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(await admin.GetStringAsync("/batches")),
        }));
        Assert.Equal(HttpStatusCode.Redirect, run.StatusCode);
        Assert.StartsWith("/batches?started=", run.Headers.Location!.OriginalString);
        var batches = await fx.Services.GetRequiredService<BatchStore>().ListAsync(100);
        Assert.Equal(before + 1, batches.Count);
        Assert.Contains(batches, b => b.Trigger == "web");
        var html = WebUtility.HtmlDecode(await admin.GetStringAsync(run.Headers.Location!.OriginalString));
        Assert.Contains("id=\"batch-started\"", html);
        Assert.Contains(await fx.Services.GetRequiredService<AuditStore>().ListAsync(limit: 20), a => a.Actor == "admin" && a.Action == "batch.run");
    }

    [Fact]
    public async Task Batches_ShouldBeDenied_WhenCoachLogsIn()
    {
        await fx.Services.GetRequiredService<UserAccounts>().CreateOrUpdateAsync("cora", "coach-pass-123", Roles.Coach);
        using var http = fx.NewClient();
        await LoginAsync(http, "cora", "coach-pass-123");
        var r = await http.GetAsync("/batches");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/denied", r.Headers.Location!.PathAndQuery);
        Assert.DoesNotContain("/batches", await http.GetStringAsync("/library"));
    }

    [Fact]
    public async Task CallPage_ShouldShowTheReason_WhenCallFailed()
    {
        using var http = fx.NewClient();
        await LoginAsync(http, "rita", WebHostFixture.ReviewerPassword);
        var html = WebUtility.HtmlDecode(await http.GetStringAsync($"/calls/{fx.FailedId}"));
        Assert.Matches("id=\"call-error\">91-broken-empty.wav: the file is empty \\(0 bytes\\)<", html);
        // Nothing that cannot work on a failed call: no player, no waveform, no disposition or verdict form.
        Assert.DoesNotContain("id=\"player\"", html);
        Assert.DoesNotContain("id=\"disposition-form\"", html);
        Assert.DoesNotContain("class=\"verdict-form\"", html);
        var post = await http.GetStringAsync($"/calls/{fx.FailedId}"); // (the page's antiforgery token for the post below)
        var token = Regex.Match(post, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var refused = await http.PostAsync($"/calls/{fx.FailedId}?handler=Disposition", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["disposition"] = "accepted",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        // An unknown id: a 404 page that says so and offers the way back.
        var missing = await http.GetAsync("/calls/999999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var page = WebUtility.HtmlDecode(await missing.Content.ReadAsStringAsync());
        Assert.Contains("找不到该页面", page);
        Assert.Contains("href=\"/triage\"", page);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/no-such-page")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/calls/999999")).StatusCode);
    }

    [Fact]
    public async Task Audio_ShouldServeTheRecordingWithRanges_WhenLoggedIn()
    {
        using var http = fx.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync($"/calls/{fx.ScoredId}/audio")).StatusCode);
        await LoginAsync(http, "rita", WebHostFixture.ReviewerPassword);
        var page = await http.GetStringAsync($"/calls/{fx.ScoredId}");
        Assert.Contains($"<audio id=\"player\" preload=\"metadata\" src=\"/calls/{fx.ScoredId}/audio\">", page);
        var full = await http.GetAsync($"/calls/{fx.ScoredId}/audio");
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal("audio/wav", full.Content.Headers.ContentType?.MediaType);
        Assert.Equal(44 + 16000 * 2 * 2, (await full.Content.ReadAsByteArrayAsync()).Length);
        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/calls/{fx.ScoredId}/audio");
        ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 43);
        var header = await http.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, header.StatusCode);
        Assert.Equal("RIFF"u8.ToArray(), (await header.Content.ReadAsByteArrayAsync())[..4]);
        // The failed call's recording does not exist on disk: no player, and 404.
        Assert.DoesNotContain("<audio", await http.GetStringAsync($"/calls/{fx.FailedId}"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/calls/{fx.FailedId}/audio")).StatusCode);
    }

    [Fact]
    public async Task Logout_ShouldEndTheSession_WhenPosted()
    {
        using var http = fx.NewClient();
        await LoginAsync(http, "admin", WebHostFixture.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
        var token = Token(await http.GetStringAsync("/logout"));
        var r = await http.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task HangfireDashboard_ShouldBeForAdminsOnly_WhenLoggedIn()
    {
        using var reviewer = fx.NewClient();
        await LoginAsync(reviewer, "rita", WebHostFixture.ReviewerPassword);
        var denied = await reviewer.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/denied", denied.Headers.Location!.PathAndQuery);
        Assert.DoesNotContain("/hangfire", await reviewer.GetStringAsync("/"));

        using var admin = fx.NewClient();
        await LoginAsync(admin, "admin", WebHostFixture.AdminPassword);
        var dashboard = await admin.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("HotlineQA jobs", await dashboard.Content.ReadAsStringAsync());
    }

    internal static async Task<HttpResponseMessage> LoginAsync(HttpClient http, string user, string password)
    {
        var token = Token(await http.GetStringAsync("/login"));
        return await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
    }

    private static string Token(string html) => TokenRegex().Match(html) is { Success: true } m ? m.Groups[1].Value
        : throw new InvalidOperationException("no anti-forgery token in the form");

    private static string Row(string html, long id) => Regex.Match(html, $"<tr data-call-id=\"{id}\"[\\s\\S]*?</tr>") is { Success: true } m ? m.Value
        : throw new InvalidOperationException($"call {id} is not in the list");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenRegex();
}

public sealed class LoginRateLimitTests
{
    [Fact]
    public async Task Login_ShouldAnswer429_WhenTooManyPostsFromOneAddress()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hotlineqa-web-" + Guid.NewGuid().ToString("N"));
        await using var app = WebApp.Build("http://127.0.0.1:0", new Dictionary<string, string?>
        {
            ["Storage:SqlitePath"] = Path.Combine(dir, "hotlineqa.db"),
            ["Web:DataProtectionKeysPath"] = Path.Combine(dir, "keys"),
            ["Web:LoginAttemptsPerMinute"] = "3",
            ["Pipeline:Workers"] = "0",
        });
        try
        {
            await app.StartAsync();
            var address = new Uri(app.Urls.Single());
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address };
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 4; i++) statuses.Add((await WebHostTests.LoginAsync(http, "nobody", "wrong-password")).StatusCode);
            Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
            // The form itself still shows.
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/login")).StatusCode);
            await app.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
