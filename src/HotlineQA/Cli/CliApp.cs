using System.CommandLine;
using HotlineQA.Common;

namespace HotlineQA.Host.Cli;

/// <summary>The <c>hotlineqa</c> command line (CONTRACTS.md §3): exit 0 ok, 1 bad input, 2 bad usage.</summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int BadUsage = 2;

    public static RootCommand Build()
    {
        var root = new RootCommand("HotlineQA: self-hosted speech-analytics QA for call centres");
        root.Subcommands.Add(ScoreCommand.Build());
        root.Subcommands.Add(AnalyzeAudioCommand.Build());
        root.Subcommands.Add(TranscribeCommand.Build());
        root.Subcommands.Add(ClassifyCommand.Build());
        root.Subcommands.Add(ClassifierCommand.Build());
        root.Subcommands.Add(ClassifierCommand.BuildCustomerModel());
        root.Subcommands.Add(ModelsCommand.Build());
        root.Subcommands.Add(RescoreCommand.Build());
        root.Subcommands.Add(IngestCommand.Build());
        root.Subcommands.Add(ServeCommand.Build());
        root.Subcommands.Add(WorkerCommand.Build());
        root.Subcommands.Add(BatchCommand.Build());
        root.Subcommands.Add(DemoCommand.Build());
        return root;
    }

    /// <summary>No response files: an argument starting with <c>@</c> (a file or agent name) is taken as it is, never
    /// replaced by the contents of a file of that name.</summary>
    public static readonly ParserConfiguration Parser = new() { ResponseFileTokenReplacer = null };

    public static async Task<int> RunAsync(string[] args)
    {
        Console.OutputEncoding = System.Text.Encoding.UTF8;
        var parsed = Build().Parse(args, Parser);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) Console.Error.WriteLine($"hotlineqa: {e.Message}");
            Console.Error.WriteLine("Run 'hotlineqa --help' for usage.");
            return BadUsage;
        }
        try
        {
            // Our own handler below maps BadInputException to exit 1; System.CommandLine's would print a stack trace.
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (BadInputException e)
        {
            Console.Error.WriteLine($"hotlineqa: {e.Message}");
            return BadInput;
        }
        catch (MissingSetupException e)
        {
            Console.Error.WriteLine($"hotlineqa: missing setup: {e.Message}");
            return BadUsage;
        }
    }

    /// <summary>The answer of a verb whose feature is not built yet: never made-up output.</summary>
    public static int NotAvailableYet(string verb, string what)
    {
        Console.Error.WriteLine($"hotlineqa {verb}: not available yet — {what}.");
        return BadUsage;
    }

    public static Option<string> FormatOption() =>
        new Option<string>("--format") { Description = "Output format", DefaultValueFactory = _ => "text" }
            .AcceptOnlyFromAmong("json", "text");
}
