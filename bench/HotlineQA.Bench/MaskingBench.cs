using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HotlineQA.Common;
using HotlineQA.Scoring.Privacy;

namespace HotlineQA.Bench;

/// <summary>
/// The cost of the personal-data masking that every text answer of the web host goes through
/// (<see cref="PersonalDataPolicy.MaskBody"/>), on a call page's HTML and its <c>/api/calls/{id}</c> JSON of a long call,
/// as a ratio (processor time) to the work every buffered answer does anyway in the same run: decoding the body from UTF-8 and encoding
/// it again. Also how the time grows with the call's length (10× the utterances should cost about 10× the time).
/// </summary>
public sealed class MaskingBench : IBenchmark
{
    public string Name => "masking";
    public string Description => "masking of a call page's HTML/JSON vs the UTF-8 round trip of the same body (args: [utterances=600] [runs=50])";

    private static readonly string[] Lines =
    [
        "您好，这里是客服中心，请问有什么可以帮您？",
        "我的手机号是13812345678，宽带从昨天开始就连不上了。",
        "好的，我帮您查一下，请提供一下身份证号码。",
        "身份证是110101199003071234，你们到底什么时候能修好？",
        "非常抱歉给您带来不便，我们会尽快安排师傅上门。",
        "卡号6222 0212 3456 7890 123，上个月的费用也扣错了。",
    ];

    public Task RunAsync(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 600;
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        foreach (var (kind, type, body) in new[] { ("html", "text/html; charset=utf-8", Html(n)), ("json", "application/json; charset=utf-8", Json(n)) })
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var baseline = Median(runs, () => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes)));
            var masked = Median(runs, () => Encoding.UTF8.GetBytes(PersonalDataPolicy.MaskBody(Encoding.UTF8.GetString(bytes), type)));
            Console.WriteLine($"  {kind}: {n} utterances, {bytes.Length / 1024.0:F0} KiB: UTF-8 round trip {baseline:F2} ms (baseline), with masking {masked:F2} ms = {masked / baseline:F1}× baseline");
        }
        var (smallPage, largePage) = (Html(n), Html(n * 10));
        var small = Median(runs, () => PersonalDataPolicy.MaskBody(smallPage, "text/html"));
        var large = Median(Math.Max(5, runs / 5), () => PersonalDataPolicy.MaskBody(largePage, "text/html"));
        Console.WriteLine($"  growth: {n * 10} utterances take {large / small:F1}× the time of {n} (linear = 10×)");
        return Task.CompletedTask;
    }

    private static string Html(int n)
    {
        var sb = new StringBuilder("<!DOCTYPE html><html><body><table id=\"transcript\">");
        for (var i = 0; i < n; i++)
            sb.Append(CultureInfo.InvariantCulture, $"<tr data-idx=\"{i}\" data-start=\"{i * 3.5:F2}\"><td>{i}</td><td>{i * 3.5:F1}s</td><td>{(i % 2 == 0 ? "agent" : "customer")}</td><td>{Lines[i % Lines.Length]}</td></tr>");
        return sb.Append("</table></body></html>").ToString();
    }

    private static string Json(int n) => JsonSerializer.Serialize(new
    {
        id = 42, callKey = "bench-call", status = "scored",
        utterances = Enumerable.Range(0, n).Select(i => new { idx = i, speaker = i % 2 == 0 ? "agent" : "customer", start = i * 3.5, end = i * 3.5 + 3, text = Lines[i % Lines.Length] }),
    }, HotlineJson.Options);

    private static double Median(int runs, Action work)
    {
        // Warm up past the JIT's first tiers, or the first runs measure compilation.
        for (var w = 0; w < 20; w++) work();
        var times = new double[runs];
        for (var r = 0; r < runs; r++)
        {
            // Processor time of this process, not wall time: on a shared, loaded machine a long run is preempted more
            // often than a short one, and wall time would make linear work look quadratic.
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            work();
            times[r] = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[runs / 2];
    }
}
