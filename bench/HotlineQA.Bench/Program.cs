using System.Diagnostics;
using System.Reflection;
using HotlineQA.Bench;

// Each benchmark is a class implementing IBenchmark; `dotnet run -c Release --project bench/HotlineQA.Bench -- <name>`.
var all = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name)
    .ToList();
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: bench <name|all> [args]\n");
    foreach (var b in all) Console.WriteLine($"  {b.Name,-12} {b.Description}");
    return args.Length == 0 ? 2 : 0;
}
var chosen = args[0] == "all" ? all : all.Where(b => b.Name == args[0]).ToList();
if (chosen.Count == 0) { Console.Error.WriteLine($"unknown benchmark '{args[0]}'"); return 2; }
foreach (var b in chosen)
{
    Console.WriteLine($"== {b.Name}: {b.Description}");
    var sw = Stopwatch.StartNew();
    await b.RunAsync(args.Skip(1).ToArray());
    Console.WriteLine($"== {b.Name} done in {sw.Elapsed.TotalSeconds:F1} s, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB");
}
return 0;

namespace HotlineQA.Bench
{
    /// <summary>A benchmark prints its figures as ratios against a baseline measured in the same run.</summary>
    public interface IBenchmark
    {
        string Name { get; }
        string Description { get; }
        Task RunAsync(string[] args);
    }
}
