using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HotlineQA.Classification;
using HotlineQA.Common;

namespace HotlineQA.Host.Cli;

internal static class ClassifyCommand
{
    private const int MaxLineChars = 20_000;

    public static Command Build()
    {
        var format = CliApp.FormatOption();
        var model = new Option<string?>("--model") { Description = "Model zip (default: Classification:ModelPath, else the built-in model)" };
        var cmd = new Command("classify", "Classifies agent utterances, one per input line: perfunctory_apology, sincere_apology, blame_shifting, empathy, neutral.") { format, model };
        cmd.SetAction(pr => ClassifierCommand.Guard(() => Run(Console.In, Console.Out, pr.GetValue(format) ?? "text", pr.GetValue(model))));
        return cmd;
    }

    /// <summary>One result per input line, in input order; streams, so input size does not bound memory.</summary>
    internal static int Run(TextReader input, TextWriter output, string format, string? modelPath)
    {
        var classifier = MlNetUtteranceClassifier.Load(modelPath ?? ClassifierCommand.Options().ModelPath);
        var json = format == "json";
        using var stream = json ? new MemoryStream() : null;
        using var writer = json ? new Utf8JsonWriter(stream!, new JsonWriterOptions { Encoder = HotlineJson.Options.Encoder, Indented = false }) : null;
        writer?.WriteStartArray();
        var lineNo = 0;
        while (input.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length > MaxLineChars)
                throw new BadInputException($"stdin line {lineNo}: longer than {MaxLineChars} characters (one utterance per line expected)");
            var text = line.TrimEnd('\r');
            var result = classifier.Classify(new UtteranceContext(text));
            var probability = Math.Round(result.Probability, 4);
            if (writer is not null)
            {
                writer.WriteStartObject();
                writer.WriteString("text", text);
                writer.WriteString("label", result.Label);
                writer.WriteNumber("probability", probability);
                writer.WriteEndObject();
                if (writer.BytesPending > 1 << 16) { writer.Flush(); FlushTo(stream!, output); }
            }
            else
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Label}\t{probability:F4}\t{text}"));
            }
        }
        if (writer is not null)
        {
            writer.WriteEndArray();
            writer.Flush();
            FlushTo(stream!, output);
            output.WriteLine();
        }
        output.Flush();
        return CliApp.Ok;
    }

    private static void FlushTo(MemoryStream stream, TextWriter output)
    {
        output.Write(System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length));
        stream.SetLength(0);
    }
}
