using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotlineQA.Host.Web;
using HotlineQA.Scoring;
using HotlineQA.Storage;
using HotlineQA.Transcription;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineQA.IntegrationTests.Web;

/// <summary>The real web host over a temporary SQLite file, seeded with a scored call full of personal numbers and an
/// agent name that is a spreadsheet formula (issue 17's hostile test, repeated).</summary>
public sealed class SecurityHostFixture : IAsyncLifetime
{
    public const string AdminPassword = "admin-pass-123";
    public const string Password = "user-pass-1234";

    // Every form the masker must catch, as a caller reads them out and as they are written.
    public const string Phone = "13812345678";
    public const string IdCard = "11010119900307123X";
    public const string BankCard = "6222021234567890123";
    public const string SpokenPhone = "幺三九一二三四五六七八";
    public const string FormulaAgent = "=HYPERLINK(\"http://evil.example\",\"x\")";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hotlineqa-sec-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;

    public Uri BaseAddress { get; private set; } = null!;
    public long CallId { get; private set; }
    public long FindingId { get; private set; }
    public IServiceProvider Services => _app.Services;

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
            ["Web:AllowAdminUnmasked"] = "true",
            ["Web:AccountLockoutThreshold"] = "3",
            ["Pipeline:Workers"] = "0",
            ["Web:LoginAttemptsPerMinute"] = "1000",
            ["Web:LoginAttemptsPerMinutePerAddress"] = "1000",
        });
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        var sp = _app.Services;
        var calls = sp.GetRequiredService<CallStore>();
        var recording = Path.Combine(_dir, "pii-call.wav");
        await File.WriteAllBytesAsync(recording, HotlineQA.Host.Demo.WavFile.Encode(new short[16000 * 2 * 8], channels: 2, sampleRate: 16000));
        CallId = (await calls.RegisterAsync(new NewCall
        {
            CallKey = "pii-call", ContentSha256 = new string('a', 64), SizeBytes = 1000, SourcePath = recording,
            Agent = FormulaAgent, Queue = "complaints", StartedAt = DateTimeOffset.UtcNow.AddDays(-1),
        })).Id;
        var failed = (await calls.RegisterAsync(new NewCall
        {
            CallKey = "pii-failed", ContentSha256 = new string('b', 64), SizeBytes = 1000, SourcePath = "/inbox/pii-failed.wav",
        })).Id;
        await calls.MarkFailedAsync(failed, $"sidecar mentions {Phone} somewhere");

        await calls.ResetAsync(CallId, CallStatus.Scoring);
        var text = $"我的手机是{Phone}，身份证{IdCard}，卡号6222 0212 3456 7890 123，座机{SpokenPhone}。";
        var db = sp.GetRequiredService<HotlineDatabase>();
        await db.InTransactionAsync(async (c, tx) =>
        {
            await sp.GetRequiredService<UtteranceStore>().ReplaceAsync(c, tx, CallId,
            [
                new Utterance { Speaker = "agent", Start = 0.5, End = 2.0, Text = "您好，请讲。" },
                new Utterance { Speaker = "customer", Start = 2.5, End = 7.5, Text = text },
            ]);
            await sp.GetRequiredService<ScoreStore>().SaveAsync(c, tx, CallId, new ScoreResult
            {
                CallId = "pii-call", RubricVersion = "2026.2", Score = 61, Flagged = true, FlagReasons = ["ESCALATION_RISK"], IsComplaint = true,
                Findings =
                [
                    new Finding { Item = "ESCALATION_RISK", Result = "fire", Severity = "signal", Confidence = 0.9, Reason = $"customer gave {BankCard}",
                        Evidence = [new Evidence { Utterance = 1, Speaker = "customer", Start = 2.5, End = 7.5, Text = text }] },
                ],
            });
            Assert.True(await calls.AdvanceAsync(c, tx, CallId, [CallStatus.Scoring], CallStatus.Scored));
        });
        var score = await sp.GetRequiredService<ScoreStore>().GetCurrentAsync(CallId);
        FindingId = (await sp.GetRequiredService<ScoreStore>().ListFindingsAsync(score!.Id)).Single().Id;
    }

    /// <summary>A new account of <paramref name="role"/> with a unique name (tests change accounts; they must not meet).</summary>
    public async Task<string> NewUserAsync(string role)
    {
        var name = role + "-" + Guid.NewGuid().ToString("N")[..8];
        await _app.Services.GetRequiredService<UserAccounts>().CreateOrUpdateAsync(name, Password, role);
        return name;
    }

    public HttpClient NewClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}

public sealed partial class SecurityTests(SecurityHostFixture fx) : IClassFixture<SecurityHostFixture>
{
    // ---- 1. sessions end with the rights they were made for ----

    [Fact]
    public async Task Session_ShouldBeRefusedOnTheNextRequest_WhenAdminIsDemotedToCoach()
    {
        var name = await fx.NewUserAsync(Roles.Admin);
        using var http = fx.NewClient();
        await WebHostTests.LoginAsync(http, name, SecurityHostFixture.Password);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/admin/users")).StatusCode);

        // Another admin demotes them through the users page (role only, password kept).
        using var admin = fx.NewClient();
        await WebHostTests.LoginAsync(admin, "admin", SecurityHostFixture.AdminPassword);
        var form = await admin.GetStringAsync("/admin/users");
        var r = await admin.PostAsync("/admin/users", Form(form, ("name", name), ("password", ""), ("role", Roles.Coach)));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);

        var after = await http.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/login", after.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/calls")).StatusCode);
        // Logging in again gives the new role's rights only.
        await WebHostTests.LoginAsync(http, name, SecurityHostFixture.Password);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
        Assert.StartsWith("/denied", (await http.GetAsync("/admin/users")).Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Session_ShouldBeRefused_WhenPasswordIsResetOrAccountDeactivated()
    {
        var reset = await fx.NewUserAsync(Roles.Reviewer);
        var gone = await fx.NewUserAsync(Roles.Reviewer);
        using var a = fx.NewClient();
        using var b = fx.NewClient();
        await WebHostTests.LoginAsync(a, reset, SecurityHostFixture.Password);
        await WebHostTests.LoginAsync(b, gone, SecurityHostFixture.Password);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/api/calls")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/api/calls")).StatusCode);

        await fx.Services.GetRequiredService<UserAccounts>().CreateOrUpdateAsync(reset, "a-new-password", Roles.Reviewer);
        using var admin = fx.NewClient();
        await WebHostTests.LoginAsync(admin, "admin", SecurityHostFixture.AdminPassword);
        var form = await admin.GetStringAsync("/admin/users");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/admin/users?handler=Active", Form(form, ("name", gone), ("active", "false")))).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await a.GetAsync("/api/calls")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.GetAsync("/api/calls")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WebHostTests.LoginAsync(b, gone, SecurityHostFixture.Password)).StatusCode);
        var audit = await fx.Services.GetRequiredService<AuditStore>().ListAsync($"user:{gone}");
        Assert.Contains(audit, e => e.Action == "user.deactivate" && e.Actor == "admin");
    }

    [Fact]
    public async Task Cookie_ShouldBeRefused_WhenReplayedAfterLogout()
    {
        var name = await fx.NewUserAsync(Roles.Reviewer);
        var jar = new CookieContainer();
        using var http = fx.NewClient(jar);
        await WebHostTests.LoginAsync(http, name, SecurityHostFixture.Password);
        var stolen = jar.GetCookieHeader(fx.BaseAddress);
        Assert.Contains("hotlineqa.auth=", stolen);

        var logout = await http.GetStringAsync("/logout");
        Assert.Equal(HttpStatusCode.Redirect, (await http.PostAsync("/logout", Form(logout))).StatusCode);

        using var replay = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = fx.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/calls");
        request.Headers.Add("Cookie", stolen);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.SendAsync(request)).StatusCode);
    }

    // ---- 8. per-account lockout, forwarded headers, security headers ----

    [Fact]
    public async Task Login_ShouldLockTheAccountButNotAColleague_WhenPasswordsAreGuessed()
    {
        var victim = await fx.NewUserAsync(Roles.Reviewer);
        var colleague = await fx.NewUserAsync(Roles.Reviewer);
        using var attacker = fx.NewClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) statuses.Add((await WebHostTests.LoginAsync(attacker, victim, "guess-" + i)).StatusCode);
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, (HttpStatusCode)423, (HttpStatusCode)423], statuses);

        // Locked: even the right password is refused now, from any client.
        using var owner = fx.NewClient();
        var locked = await WebHostTests.LoginAsync(owner, victim, SecurityHostFixture.Password);
        Assert.Equal((HttpStatusCode)423, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync());
        // The colleague on the same address logs in.
        using var other = fx.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await WebHostTests.LoginAsync(other, colleague, SecurityHostFixture.Password)).StatusCode);
    }

    [Fact]
    public async Task Cookie_ShouldBeSecure_WhenTheTlsProxySaysHttps()
    {
        var name = await fx.NewUserAsync(Roles.Reviewer);
        using var http = fx.NewClient();
        var html = await http.GetStringAsync("/login");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = Form(html, ("UserName", name), ("Password", SecurityHostFixture.Password)),
        };
        post.Headers.Add("X-Forwarded-Proto", "https");
        post.Headers.Add("X-Forwarded-For", "203.0.113.7");
        var r = await http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var auth = r.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hotlineqa.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.True(r.Headers.Contains("Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/")]
    [InlineData("/api/calls")]
    public async Task Response_ShouldCarrySecurityHeaders_WhenAnyPageIsServed(string path)
    {
        using var http = fx.NewClient();
        await WebHostTests.LoginAsync(http, "admin", SecurityHostFixture.AdminPassword);
        var r = await http.GetAsync(path);
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", r.Headers.GetValues("X-Frame-Options").Single());
        var csp = r.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
    }

    // ---- 7. numbers that are not finite ----

    [Theory]
    [InlineData("/api/triage?minScore=NaN", "minScore")]
    [InlineData("/api/triage?maxScore=Infinity", "maxScore")]
    [InlineData("/triage?minScore=NaN", "minScore")]
    [InlineData("/triage?maxScore=1e309", "maxScore")]
    [InlineData("/library/clip/1.wav?pad=NaN", "pad")]
    [InlineData("/library/clip/1.txt?pad=-Infinity", "pad")]
    public async Task Query_ShouldAnswer400NamingTheParameter_WhenANumberIsNotFinite(string path, string parameter)
    {
        using var http = fx.NewClient();
        await WebHostTests.LoginAsync(http, "admin", SecurityHostFixture.AdminPassword);
        var r = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains($"'{parameter}'", await r.Content.ReadAsStringAsync());
    }

    // ---- 4. one masking policy wherever text leaves the server ----

    public static TheoryData<string> TextRoutes => new()
    {
        "/", "/calls/{call}", "/triage", "/dashboard", "/library", "/batches",
        "/api/calls", "/api/calls/{call}", "/api/triage", "/api/findings/{finding}/verdicts", "/library/clip/{finding}.txt",
        "/calls/{call}?unmasked=true", "/api/calls/{call}?unmasked=true",
    };

    [Theory]
    [MemberData(nameof(TextRoutes))]
    public async Task Response_ShouldShowNoPersonalNumber_WhenAReviewerReadsAnyPageOrApi(string route)
    {
        using var http = fx.NewClient();
        await WebHostTests.LoginAsync(http, await fx.NewUserAsync(Roles.Reviewer), SecurityHostFixture.Password);
        var r = await http.GetAsync(route.Replace("{call}", fx.CallId.ToString()).Replace("{finding}", fx.FindingId.ToString()));
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{route}: {r.StatusCode}");
        AssertNoPersonalNumber(route, await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CallPageAndApi_ShouldStillShowTheMaskedTranscript_WhenLoaded()
    {
        using var http = fx.NewClient();
        await WebHostTests.LoginAsync(http, await fx.NewUserAsync(Roles.Coach), SecurityHostFixture.Password);
        var html = WebUtility.HtmlDecode(await http.GetStringAsync($"/calls/{fx.CallId}"));
        Assert.Contains("我的手机是***********，身份证******************，卡号**** **** **** **** ***，座机***********。", html);
        var json = JsonDocument.Parse(await http.GetStringAsync($"/api/calls/{fx.CallId}")).RootElement;
        Assert.Equal("我的手机是***********，身份证******************，卡号**** **** **** **** ***，座机***********。",
            json.GetProperty("utterances")[1].GetProperty("text").GetString());
        Assert.Equal(61, json.GetProperty("score").GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Unmasked_ShouldBeForAdminsOnlyAndAudited_WhenTheSiteAllowsIt()
    {
        using var admin = fx.NewClient();
        await WebHostTests.LoginAsync(admin, "admin", SecurityHostFixture.AdminPassword);
        Assert.DoesNotContain(SecurityHostFixture.Phone, await admin.GetStringAsync($"/api/calls/{fx.CallId}"));
        var before = (await fx.Services.GetRequiredService<AuditStore>().ListAsync($"/api/calls/{fx.CallId}")).Count;
        var original = await admin.GetStringAsync($"/api/calls/{fx.CallId}?unmasked=true");
        Assert.Contains(SecurityHostFixture.Phone, original);
        var audit = await fx.Services.GetRequiredService<AuditStore>().ListAsync($"/api/calls/{fx.CallId}");
        Assert.Equal(before + 1, audit.Count);
        Assert.Equal(("admin", "pii.unmasked"), (audit[0].Actor, audit[0].Action));
    }

    // ---- 6. CSV formula injection ----

    [Fact]
    public async Task AgentsCsv_ShouldNeutraliseAFormula_WhenAnAgentNameStartsWithEquals()
    {
        using var http = fx.NewClient();
        await WebHostTests.LoginAsync(http, "admin", SecurityHostFixture.AdminPassword);
        var bytes = await http.GetByteArrayAsync("/dashboard/agents.csv");
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var csv = System.Text.Encoding.UTF8.GetString(bytes[3..]);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("agent,week,mean_score,calls", lines[0]);
        var row = Assert.Single(lines[1..]);
        Assert.StartsWith("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",", row);
        Assert.EndsWith(",61,1", row);
    }

    private static void AssertNoPersonalNumber(string route, string body)
    {
        var text = WebUtility.HtmlDecode(body);
        var digits = DigitsOnly().Replace(text, "");
        foreach (var n in new[] { SecurityHostFixture.Phone, SecurityHostFixture.IdCard[..17], SecurityHostFixture.BankCard, SecurityHostFixture.SpokenPhone })
        {
            Assert.False(text.Contains(n, StringComparison.Ordinal), $"{route} shows {n}");
        }
        Assert.False(digits.Contains(SecurityHostFixture.Phone, StringComparison.Ordinal), $"{route} shows the phone number with separators");
        Assert.False(digits.Contains(SecurityHostFixture.BankCard, StringComparison.Ordinal), $"{route} shows the bank card number with separators");
    }

    private static FormUrlEncodedContent Form(string html, params (string Key, string Value)[] fields)
    {
        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        return new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)).Append(KeyValuePair.Create("__RequestVerificationToken", token)));
    }

    [GeneratedRegex("[ \\-]")]
    private static partial Regex DigitsOnly();
}

public sealed class LoginThrottleTests
{
    [Fact]
    public async Task Login_ShouldThrottleTheGuessedNameOnly_WhenAColleagueLogsInFromTheSameAddress()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hotlineqa-web-" + Guid.NewGuid().ToString("N"));
        await using var app = WebApp.Build("http://127.0.0.1:0", new Dictionary<string, string?>
        {
            ["Storage:SqlitePath"] = Path.Combine(dir, "hotlineqa.db"),
            ["Web:DataProtectionKeysPath"] = Path.Combine(dir, "keys"),
            ["Web:LoginAttemptsPerMinute"] = "3",
            ["Web:AccountLockoutThreshold"] = "100",
            ["Pipeline:Workers"] = "0",
        });
        try
        {
            await app.StartAsync();
            await app.Services.GetRequiredService<UserAccounts>().CreateOrUpdateAsync("colleague", "colleague-pass", Roles.Reviewer);
            await app.Services.GetRequiredService<UserAccounts>().CreateOrUpdateAsync("target", "target-pass-123", Roles.Admin);
            var address = new Uri(app.Urls.Single());
            HttpClient Client() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address };
            using var attacker = Client();
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 4; i++) statuses.Add((await WebHostTests.LoginAsync(attacker, "target", "wrong-" + i)).StatusCode);
            Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
            using var colleague = Client();
            Assert.Equal(HttpStatusCode.Redirect, (await WebHostTests.LoginAsync(colleague, "colleague", "colleague-pass")).StatusCode);
            await app.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}

public sealed class AdminBootstrapSessionTests
{
    [Fact]
    public async Task Restart_ShouldKeepTheAdminsSession_WhenTheConfiguredPasswordIsUnchanged()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hotlineqa-web-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Storage:SqlitePath"] = Path.Combine(dir, "hotlineqa.db"),
            ["Web:DataProtectionKeysPath"] = Path.Combine(dir, "keys"),
            ["Web:AdminUser"] = "root-admin",
            ["Web:AdminPassword"] = "root-admin-pass",
            ["Pipeline:Workers"] = "0",
        };
        try
        {
            var jar = new CookieContainer();
            await using (var first = WebApp.Build("http://127.0.0.1:0", settings))
            {
                await first.StartAsync();
                using var http = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = new Uri(first.Urls.Single()) };
                Assert.Equal(HttpStatusCode.Redirect, (await WebHostTests.LoginAsync(http, "root-admin", "root-admin-pass")).StatusCode);
                await first.StopAsync();
            }
            await using var second = WebApp.Build("http://127.0.0.1:0", settings);
            await second.StartAsync();
            var address = new Uri(second.Urls.Single());
            var cookie = jar.GetCookies(jar.GetAllCookies().First().Domain is var d ? new Uri($"http://{d}/") : address);
            using var again = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = address };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/users");
            request.Headers.Add("Cookie", string.Join("; ", cookie.Select(c => $"{c.Name}={c.Value}")));
            Assert.Equal(HttpStatusCode.OK, (await again.SendAsync(request)).StatusCode);
            await second.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
