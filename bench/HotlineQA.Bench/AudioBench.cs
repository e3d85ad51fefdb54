using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using HotlineQA.Audio;
using HotlineQA.TestSupport;
using HotlineQA.TestSupport.Audio;

namespace HotlineQA.Bench;

/// <summary>
/// Decode+VAD speed as × real time per core on a generated stereo 8 kHz call, against ffmpeg's decode alone in the
/// same run, and the peak memory of analysing a 1-hour call in a child process.
/// Usage: <c>bench audio [minutes=10] [hours=1]</c>.
/// </summary>
public sealed class AudioBench : IBenchmark
{
    public string Name => "audio";

    public string Description => "decode+VAD × real time per core (stereo 8 kHz call) vs ffmpeg decode alone; peak memory on a 1-hour call";

    public async Task RunAsync(string[] args)
    {
        if (args is ["--child", var childPath]) { await ChildAsync(childPath); return; }
        var minutes = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var hours = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        AudioTools.RequireFfmpeg();
        var dir = Directory.CreateTempSubdirectory("hqa-audio-bench-").FullName;
        try
        {
            var call = Path.Combine(dir, "call.wav");
            await RenderCallAsync(call, minutes);
            var options = new AudioOptions { VadModelPath = TestPaths.Shared("data/silero-vad/silero_vad.onnx") };
            using var analyzer = new AudioAnalyzer(options);
            // Warm-up: JIT and the ONNX session, so the timed runs measure steady-state work.
            await analyzer.AnalyzeAsync(TestPaths.Shared("data/audio/faster_whisper/stereo_diarization.wav"));
            var info = await AudioDecoder.ProbeAsync(call);

            var decode = await MeasureAsync(() => AudioDecoder.DecodeAsync(info, new AudioDecoder.DecodeRange(0, null, null), info.Channels,
                (_, _) => ValueTask.CompletedTask, CancellationToken.None));
            AudioAnalysis? result = null;
            var full = await MeasureAsync(async () => result = await analyzer.AnalyzeAsync(call));
            var audioSec = info.DurationSec;
            Console.WriteLine(FormattableString.Invariant($"call: {audioSec / 60:F1} min, stereo {info.SampleRate} Hz {info.Codec}; speech segments {result!.Speech.Count}, talk ratio {string.Join(" ", result.TalkRatio.Select(kv => $"{kv.Key}={kv.Value:F2}"))}"));
            Console.WriteLine(FormattableString.Invariant($"baseline ffmpeg decode alone : {decode.Cpu:F2} s CPU, {decode.Wall:F2} s wall -> {audioSec / decode.Cpu,7:F0}x real time per core"));
            Console.WriteLine(FormattableString.Invariant($"decode + Silero VAD (2 ch)   : {full.Cpu:F2} s CPU, {full.Wall:F2} s wall -> {audioSec / full.Cpu,7:F0}x real time per core (target >= 100x)"));
            Console.WriteLine(FormattableString.Invariant($"ratio: decode+VAD costs {full.Cpu / decode.Cpu:F1}x the CPU of decoding alone"));

            var longCall = Path.Combine(dir, "long.wav");
            var loops = (int)Math.Ceiling(hours * 60 / minutes);
            await AudioTools.RunAsync("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-stream_loop", (loops - 1).ToString(CultureInfo.InvariantCulture), "-i", call,
                "-t", (hours * 3600).ToString(CultureInfo.InvariantCulture), "-c:a", "pcm_s16le", longCall]);
            var self = Environment.ProcessPath!;
            var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(AudioBench).Assembly.Location);
            foreach (var a in new[] { "audio", "--child", longCall }) psi.ArgumentList.Add(a);
            using var child = Process.Start(psi)!;
            var output = await child.StandardOutput.ReadToEndAsync();
            await child.WaitForExitAsync();
            Console.Write(output.Split('\n').Where(l => l.StartsWith("child", StringComparison.Ordinal)).Select(l => l + "\n").Aggregate("", string.Concat));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // A whole analysis in a fresh process, so its peak resident memory is the analyser's alone. VmHWM, not
    // getrusage's maxrss: Linux carries maxrss over fork+exec from the (larger) parent.
    private static async Task ChildAsync(string path)
    {
        var options = new AudioOptions { VadModelPath = TestPaths.Shared("data/silero-vad/silero_vad.onnx") };
        using var analyzer = new AudioAnalyzer(options);
        using var stop = new CancellationTokenSource();
        long ffmpegPeakKb = 0;
        var watch = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var pid in ChildPids()) ffmpegPeakKb = Math.Max(ffmpegPeakKb, PeakKb($"/proc/{pid}/status"));
                await Task.Delay(100);
            }
        });
        var sw = Stopwatch.StartNew();
        var a = await analyzer.AnalyzeAsync(path);
        await stop.CancelAsync();
        await watch;
        var selfKb = PeakKb("/proc/self/status");
        Console.WriteLine(FormattableString.Invariant(
            $"child 1-hour call: {a.DurationSec / 3600:F2} h analysed in {sw.Elapsed.TotalSeconds:F1} s wall, {a.Speech.Count} segments"));
        Console.WriteLine(FormattableString.Invariant(
            $"child peak memory: analyser process {selfKb / 1024.0:F0} MB + ffmpeg {ffmpegPeakKb / 1024.0:F0} MB = {(selfKb + ffmpegPeakKb) / 1024.0:F0} MB (target < 300 MB)"));
    }

    private static IEnumerable<int> ChildPids()
    {
        var me = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            // Fields after the parenthesised command name: state, ppid, …
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (rest.Length > 1 && rest[1] == me) yield return pid;
        }
    }

    private static long PeakKb(string statusPath)
    {
        try
        {
            var line = File.ReadLines(statusPath).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task<(double Cpu, double Wall)> MeasureAsync(Func<Task> work)
    {
        var before = Usage(RusageSelf).Cpu + Usage(RusageChildren).Cpu;
        var sw = Stopwatch.StartNew();
        await work();
        var wall = sw.Elapsed.TotalSeconds;
        // ffmpeg's CPU time is counted once it has been reaped (RUSAGE_CHILDREN); give the runtime a moment.
        await Task.Delay(200);
        var after = Usage(RusageSelf).Cpu + Usage(RusageChildren).Cpu;
        return (after - before, wall);
    }

    /// <summary>A call of alternating turns on both sides, with line noise so the energy gate cannot skip the gaps.</summary>
    private static async Task RenderCallAsync(string path, double minutes)
    {
        string[] agent = ["您好，这里是客服热线，请问有什么可以帮您", "非常抱歉给您带来不便", "好的，我帮您查询一下", "师傅明天上午会联系您上门维修", "感谢您的来电，祝您生活愉快"];
        string[] customer = ["我上周报修的排气管到现在还没有修好", "订单号是八六七五三零九", "你们到底什么时候来修", "明天上午几点", "好的谢谢"];
        var lines = new List<ScriptLine>();
        var rng = new Random(5);
        var estimate = 0.0;
        for (var i = 0; estimate < minutes * 60 - 10; i++)
        {
            var channel = i % 2;
            var text = channel == 0 ? agent[i / 2 % agent.Length] : customer[i / 2 % customer.Length];
            var gap = i % 7 == 6 ? 6 + rng.NextDouble() * 6 : rng.NextDouble() * 1.5 - 0.3;
            lines.Add(new ScriptLine(channel, text, gap));
            estimate += (await SyntheticCall.SpeakAsync(text, channel)).Length / 16000.0 + gap;
        }
        await SyntheticCall.RenderAsync(new CallScript(lines, 1.0, 2.0, NoiseDbfs: -50), path, "-ar", "8000", "-c:a", "pcm_s16le");
    }

    private const int RusageSelf = 0;
    private const int RusageChildren = -1;

    private static (double Cpu, long MaxRssKb) Usage(int who)
    {
        if (getrusage(who, out var u) != 0) throw new InvalidOperationException("getrusage failed");
        return (u.UserSec + u.UserUsec / 1e6 + u.SysSec + u.SysUsec / 1e6, u.MaxRss);
    }


    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSec, UserUsec, SysSec, SysUsec;
        public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVcsw, NIvcsw;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out RUsage usage);
}
