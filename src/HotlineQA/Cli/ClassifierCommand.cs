using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HotlineQA.Classification;
using HotlineQA.Common;
using HotlineQA.Scoring;
using HotlineQA.Storage;
using Microsoft.Extensions.Configuration;

namespace HotlineQA.Host.Cli;

internal static class ClassifierCommand
{
    private const string Stc3Relative = "shared/data/stc3/stc3_helpdesk_dev.json";
    private const string BuiltInModelRelative = "src/HotlineQA.Core/Classification/Model/utterance-classifier.zip";

    public static Command Build()
    {
        var feedback = new Option<string?>("--with-feedback")
        {
            Description = "Also train on reviewers' labelled examples (*.jsonl file or folder; default Classification:FeedbackPath) and print the evaluation before and after",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var outPath = new Option<string?>("--out") { Description = "Where to write the model zip (default: the built-in model in the source tree; with --with-feedback: Classification:ModelPath or models/utterance-classifier.zip)" };
        var trainerOpt = new Option<string>("--trainer") { Description = "sdca, lbfgs, or best (train both, keep the better validation macro-F1)", DefaultValueFactory = _ => "best" }
            .AcceptOnlyFromAmong("best", "sdca", "lbfgs");
        var stc3Train = new Option<string?>("--stc3") { Description = "STC-3 dialogue file for the real helpdesk turns (default: ../shared/data/stc3/stc3_helpdesk_dev.json beside the checkout)" };
        var train = new Command("train", "Trains the utterance classifier and prints its evaluation.") { feedback, outPath, trainerOpt, stc3Train };
        train.SetAction(pr =>
        {
            string? feedbackPath = null;
            if (pr.GetResult(feedback) is not null) feedbackPath = pr.GetValue(feedback) ?? Options().FeedbackPath;
            return Guard(() => Train(Console.Out, pr.GetValue(outPath), pr.GetValue(trainerOpt) ?? "best", pr.GetValue(stc3Train), feedbackPath));
        });

        var model = new Option<string?>("--model") { Description = "Model zip to evaluate (default: Classification:ModelPath, else the built-in model)" };
        var stc3Eval = new Option<string?>("--stc3") { Description = "STC-3 dialogue file for the real helpdesk turns" };
        var feedbackEval = new Option<string?>("--feedback") { Description = "Also evaluate on reviewers' labelled examples (*.jsonl file or folder)" };
        var showErrors = new Option<bool>("--show-errors") { Description = "List the misclassified labelled examples (the project's training material, never call transcripts)" };
        var evaluate = new Command("evaluate", "Evaluates the utterance classifier on the validation split and the real helpdesk turns.") { model, stc3Eval, feedbackEval, showErrors };
        evaluate.SetAction(pr => Guard(() => Evaluate(Console.Out, pr.GetValue(model), pr.GetValue(stc3Eval), pr.GetValue(feedbackEval), pr.GetValue(showErrors))));
        var exportOut = new Option<string>("--out") { Description = "The JSONL file to write", DefaultValueFactory = _ => "data/feedback/reviews.jsonl" };
        var export = new Command("export-feedback", "Writes reviewers' verdicts on apology/blame/empathy findings as labelled examples (JSONL) for train --with-feedback.") { exportOut };
        export.SetAction(async (pr, ct) => await ExportFeedbackAsync(Console.Out, pr.GetValue(exportOut)!, ct));
        return new Command("classifier", "Trains and evaluates the ML.NET utterance classifier.") { train, evaluate, export };
    }

    private const string SentimentRelative = "shared/data/sentiment";
    private const string BuiltInCustomerModelRelative = "src/HotlineQA.Core/Classification/Model/customer-state.zip";

    /// <summary><c>hotlineqa customer-model train|evaluate</c>: the customer-state model (docs/customer-model.md).</summary>
    public static Command BuildCustomerModel()
    {
        var outPath = new Option<string?>("--out") { Description = "Where to write the model zip (default: the built-in model in the source tree)" };
        var reviews = new Option<string?>("--reviews") { Description = "Folder of the three review CSVs (default: ../shared/data/sentiment beside the checkout)" };
        var stc3 = new Option<string?>("--stc3") { Description = "STC-3 dialogue file (default: ../shared/data/stc3/stc3_helpdesk_dev.json beside the checkout)" };
        var train = new Command("train", "Trains the customer-state model on all its data and writes the model zip (same data → same file, byte for byte).") { outPath, reviews, stc3 };
        train.SetAction(pr => Guard(() => TrainCustomer(Console.Out, pr.GetValue(outPath), pr.GetValue(reviews), pr.GetValue(stc3))));
        var folds = new Option<int>("--folds") { Description = "k of the k-fold cross-validation (by dialogue / review / line)", DefaultValueFactory = _ => 5 };
        var reviewsEval = new Option<string?>("--reviews") { Description = "Folder of the three review CSVs" };
        var stc3Eval = new Option<string?>("--stc3") { Description = "STC-3 dialogue file" };
        var evaluate = new Command("evaluate", "Cross-validates the customer-state model: each fold scored by a model that never saw it.") { folds, reviewsEval, stc3Eval };
        evaluate.SetAction(pr => Guard(() => EvaluateCustomer(Console.Out, pr.GetValue(folds), pr.GetValue(reviewsEval), pr.GetValue(stc3Eval))));
        var endingOut = new Option<string?>("--out") { Description = "Where to write the ending model zip (default: the built-in model in the source tree)" };
        static Option<string[]> Calls() => new("--calls") { Description = "Folders of labelled calls (default: ../shared/data/transcripts-dev and the checkout's tests/data/transcripts-*)", AllowMultipleArgumentsPerToken = true };
        var calls = Calls();
        var stc3Ending = new Option<string?>("--stc3") { Description = "STC-3 dialogue file (default: ../shared/data/stc3/stc3_helpdesk_dev.json beside the checkout)" };
        var trainEnding = new Command("train-ending", "Trains the ending model (how the customer leaves the call) on the labelled calls' NEGATIVE_END labels and STC-3's clearly rated dialogues (same data → same file, byte for byte).") { endingOut, calls, stc3Ending };
        trainEnding.SetAction(pr => Guard(() => TrainEnding(Console.Out, pr.GetValue(endingOut), pr.GetValue(calls), pr.GetValue(stc3Ending))));
        var complaintOut = new Option<string?>("--out") { Description = "Where to write the call-complaint model zip (default: the built-in model in the source tree)" };
        var complaintCalls = Calls();
        var trainComplaint = new Command("train-complaint", "Trains the call-complaint model (is it a complaint call, from everything the customer says) on the labelled calls' isComplaint labels (same data → same file, byte for byte).") { complaintOut, complaintCalls };
        trainComplaint.SetAction(pr => Guard(() => TrainComplaint(Console.Out, pr.GetValue(complaintOut), pr.GetValue(complaintCalls))));
        return new Command("customer-model", "Trains and evaluates the ML.NET customer-state model (complaint, dissatisfaction, abuse, satisfied, neutral), the ending model and the call-complaint model.") { train, evaluate, trainEnding, trainComplaint };
    }

    private const string BuiltInEndingModelRelative = "src/HotlineQA.Core/Classification/Model/customer-ending.zip";
    private const string BuiltInComplaintModelRelative = "src/HotlineQA.Core/Classification/Model/call-complaint.zip";
    private const string DevCallsRelative = "shared/data/transcripts-dev";

    /// <summary>The folders given with --calls, or else <see cref="DefaultLabelledFolders"/>; refused when there are none.</summary>
    private static List<string> LabelledFolders(string[]? callFolders)
    {
        var folders = callFolders is { Length: > 0 } ? callFolders.ToList() : DefaultLabelledFolders();
        return folders.Count > 0 ? folders : throw new BadInputException("no labelled calls found (run from the checkout, or pass --calls)");
    }

    /// <summary>The labelled folders the ending and call-complaint models learn from by default: the shared dev set and every labelled batch of the checkout.</summary>
    internal static List<string> DefaultLabelledFolders()
    {
        var folders = new List<string>();
        if (FindShared(DevCallsRelative, Directory.Exists) is { } dev) folders.Add(dev);
        if (RepoRoot() is { } root && Path.Combine(root, "tests", "data") is var data && Directory.Exists(data))
            folders.AddRange(Directory.GetDirectories(data, "transcripts-*"));
        return folders;
    }

    internal static int TrainEnding(TextWriter o, string? outPath, string[]? callFolders, string? stc3)
    {
        var folders = LabelledFolders(callFolders);
        var stc3Path = Stc3Path(stc3);
        var sw = Stopwatch.StartNew();
        var customer = CustomerStateModel.LoadDefault();
        var examples = LabelledEndings.Read(folders, RubricLoader.LoadDefault(), customer);
        var fromCalls = examples.Count;
        examples.AddRange(CustomerEndingModel.Stc3Examples(CustomerModelTraining.ReadStc3(stc3Path), customer));
        o.WriteLine($"labelled calls: {fromCalls} from {folders.Count} folders ({examples.Take(fromCalls).Count(e => e.Negative)} end unhappy); " +
                    $"STC-3 dialogues rated clearly: {examples.Count - fromCalls} ({examples.Skip(fromCalls).Count(e => e.Negative)} unhappy)");
        var model = CustomerEndingModel.Train(examples);
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained in {sw.Elapsed.TotalSeconds:F1} s"));
        WriteModel(o, model.Save, outPath ?? BuiltInTarget(BuiltInEndingModelRelative, "models/customer-ending.zip"));
        o.WriteLine("its cross-validated figures (by labelled folder): bench negative-end");
        return CliApp.Ok;
    }

    internal static int TrainComplaint(TextWriter o, string? outPath, string[]? callFolders)
    {
        var folders = LabelledFolders(callFolders);
        var sw = Stopwatch.StartNew();
        var examples = LabelledComplaintCalls.Read(folders, RubricLoader.LoadDefault());
        o.WriteLine($"labelled calls: {examples.Count} from {folders.Count} folders ({examples.Count(e => e.Complaint)} complaint calls)");
        var model = CallComplaintModel.Train(examples);
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained in {sw.Elapsed.TotalSeconds:F1} s"));
        WriteModel(o, model.Save, outPath ?? BuiltInTarget(BuiltInComplaintModelRelative, "models/call-complaint.zip"));
        o.WriteLine("its cross-validated figures (by labelled folder): bench complaint-call");
        return CliApp.Ok;
    }

    internal static int TrainCustomer(TextWriter o, string? outPath, string? reviews, string? stc3)
    {
        var (data, _) = LoadCustomerData(o, reviews, stc3);
        var sw = Stopwatch.StartNew();
        var model = CustomerModelTraining.Train(data);
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained in {sw.Elapsed.TotalSeconds:F1} s"));
        WriteModel(o, model.Save, outPath ?? BuiltInTarget(BuiltInCustomerModelRelative, "models/customer-state.zip"));
        o.WriteLine("its cross-validated figures: hotlineqa customer-model evaluate; the STC-3 Spearman: bench stc3");
        return CliApp.Ok;
    }

    internal static int EvaluateCustomer(TextWriter o, int folds, string? reviews, string? stc3)
    {
        if (folds < 2) throw new BadInputException($"--folds {folds}: need at least 2");
        var (data, dialogues) = LoadCustomerData(o, reviews, stc3);
        var cv = CustomerModelEvaluation.CrossValidate(data, dialogues, folds, o);
        o.Write(cv.Format());
        return CliApp.Ok;
    }

    private static (CustomerDataset Data, List<Stc3Dialogue> Dialogues) LoadCustomerData(TextWriter o, string? reviews, string? stc3)
    {
        var reviewFolder = reviews ?? FindShared(SentimentRelative, Directory.Exists)
            ?? throw new BadInputException($"{SentimentRelative} not found above the current folder (pass --reviews)");
        var dialogues = CustomerModelTraining.ReadStc3(Stc3Path(stc3));
        var data = CustomerModelTraining.BuildDataset(reviewFolder, dialogues);
        o.WriteLine($"reviews: {data.Reviews.Count} ({data.Reviews.Count(r => r.Label == CustomerLabels.Complaint)} negative); " +
                    $"STC-3 customer turns: {data.Stc3.Count} from {dialogues.Count} dialogues (weak labels); hand-written phone turns: {data.Phone.Count}");
        return (data, dialogues);
    }

    private static string? FindShared(string relative, Func<string, bool> exists)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, relative);
                if (exists(candidate)) return candidate;
            }
        return null;
    }

    private static string BuiltInTarget(string relative, string fallback) => RepoRoot() is { } root ? Path.Combine(root, relative) : fallback;

    /// <summary>The checkout the command runs in (the folder above the current one that holds HotlineQA.sln), or null.</summary>
    private static string? RepoRoot()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "HotlineQA.sln"))) return d.FullName;
        return null;
    }

    /// <summary>The STC-3 dialogue file: as given, else the shared data beside the checkout.</summary>
    private static string Stc3Path(string? given) => given ?? FindShared(Stc3Relative, File.Exists)
        ?? throw new BadInputException($"{Stc3Relative} not found above the current folder (pass --stc3)");

    private static void WriteModel(TextWriter o, Action<string> save, string target)
    {
        save(target);
        o.WriteLine($"model written: {target} ({new FileInfo(target).Length / 1024.0:F0} KiB)");
    }

    /// <summary>
    /// Bad input → the contract's exit 1 with a one-line reason. System.CommandLine's own exception handler would
    /// otherwise catch it first (stack trace on stderr) before CliApp's handler sees it.
    /// </summary>
    internal static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (BadInputException e)
        {
            Console.Error.WriteLine($"hotlineqa: {e.Message}");
            return CliApp.BadInput;
        }
    }

    /// <summary>Reads the configured database (section Storage) and writes the verdict-labelled examples.</summary>
    internal static async Task<int> ExportFeedbackAsync(TextWriter o, string outPath, CancellationToken ct)
    {
        var services = new ServiceCollection().AddStorage(HostConfiguration.Build()).BuildServiceProvider();
        await services.GetRequiredService<Migrator>().MigrateAsync(ct);
        var feedback = new ReviewerFeedback(services.GetRequiredService<HotlineDatabase>(), services.GetRequiredService<UtteranceStore>());
        var examples = await feedback.CollectAsync(ct);
        ReviewerFeedback.WriteJsonl(examples, outPath);
        o.WriteLine($"{examples.Count} labelled examples from reviewer verdicts written to {outPath}");
        foreach (var g in examples.GroupBy(e => e.Label).OrderBy(g => g.Key)) o.WriteLine($"  {g.Key,-20} {g.Count()}");
        o.WriteLine($"retrain with: hotlineqa classifier train --with-feedback {outPath}");
        return CliApp.Ok;
    }

    internal static ClassificationOptions Options()
    {
        var config = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables("HOTLINEQA_")
            .Build();
        var options = new ClassificationOptions();
        config.GetSection(ClassificationOptions.Section).Bind(options);
        return options;
    }

    internal static int Train(TextWriter o, string? outPath, string trainer, string? stc3, string? feedbackPath)
    {
        var stc3Path = ResolveStc3(o, stc3);
        var feedback = feedbackPath is null ? null : TrainingData.ReadFeedback(feedbackPath);
        var baseData = ClassifierTraining.BuildDataset(stc3Path);
        o.WriteLine($"training set: {baseData.Train.Count} utterances; validation: {baseData.Validation.Count}; real helpdesk turns (held out): {baseData.RealTurns.Count}");

        var kinds = trainer switch
        {
            "sdca" => new[] { ClassifierTrainerKind.SdcaMaximumEntropy },
            "lbfgs" => [ClassifierTrainerKind.LbfgsMaximumEntropy],
            _ => [ClassifierTrainerKind.SdcaMaximumEntropy, ClassifierTrainerKind.LbfgsMaximumEntropy],
        };
        MlNetUtteranceClassifier? best = null;
        ClassifierTrainerKind bestKind = kinds[0];
        ClassifierEvaluation? bestEval = null;
        foreach (var kind in kinds)
        {
            var sw = Stopwatch.StartNew();
            var c = ClassifierTraining.Train(baseData.Train, kind);
            var eval = ClassifierEvaluation.Evaluate("validation", c, baseData.Validation);
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trainer {kind}: validation macro-F1 {eval.MacroF1:F3} (trained in {sw.Elapsed.TotalSeconds:F1} s)"));
            if (bestEval is null || eval.MacroF1 > bestEval.MacroF1) { best = c; bestKind = kind; bestEval = eval; }
        }
        o.WriteLine($"chosen: {bestKind}");
        o.WriteLine();

        var final = best!;
        if (feedback is not null)
        {
            var fbData = ClassifierTraining.BuildDataset(stc3Path, feedback);
            o.WriteLine($"reviewer feedback: {feedback.Count} examples from {feedbackPath} ({feedback.Count - fbData.FeedbackValidation.Count} trained on, {fbData.FeedbackValidation.Count} held out by the validation hash)");
            o.WriteLine("== BEFORE (without feedback)");
            PrintEvaluations(o, final, baseData, fbData.FeedbackValidation, feedback);
            final = ClassifierTraining.Train(fbData.Train, bestKind);
            o.WriteLine("== AFTER (with feedback)");
            PrintEvaluations(o, final, baseData, fbData.FeedbackValidation, feedback);
        }
        else
        {
            PrintEvaluations(o, final, baseData, [], null);
        }

        var configured = Options().ModelPath;
        var target = outPath
            ?? (feedback is not null ? (string.IsNullOrWhiteSpace(configured) ? "models/utterance-classifier.zip" : configured) : BuiltInTarget(BuiltInModelRelative, "models/utterance-classifier.zip"));
        final.Save(target);
        o.WriteLine($"model written: {target} ({new FileInfo(target).Length / 1024.0:F0} KiB)");
        if (feedback is not null && outPath is null && string.IsNullOrWhiteSpace(configured))
            o.WriteLine($"to use it: set Classification:ModelPath (env HOTLINEQA_Classification__ModelPath) to {Path.GetFullPath(target)}");
        return CliApp.Ok;
    }

    internal static int Evaluate(TextWriter o, string? modelPath, string? stc3, string? feedbackPath, bool showErrors = false)
    {
        var classifier = MlNetUtteranceClassifier.Load(modelPath ?? Options().ModelPath);
        var stc3Path = ResolveStc3(o, stc3);
        var feedback = feedbackPath is null ? null : TrainingData.ReadFeedback(feedbackPath);
        var data = ClassifierTraining.BuildDataset(stc3Path, feedback);
        PrintEvaluations(o, classifier, data, data.FeedbackValidation, feedback);
        if (showErrors)
        {
            foreach (var u in data.Validation.Concat(data.RealTurns))
            {
                var r = classifier.Classify(u.Context);
                if (r.Label != u.Label) o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{u.Source}\ttrue {u.Label}\tpredicted {r.Label} {r.Probability:F2}\t{u.Text}"));
            }
        }
        return CliApp.Ok;
    }

    private static void PrintEvaluations(TextWriter o, IUtteranceClassifier c, ClassifierDataset data, IReadOnlyList<LabelledUtterance> feedbackHeldOut, IReadOnlyList<LabelledUtterance>? feedbackAll)
    {
        o.WriteLine(ClassifierEvaluation.Evaluate("validation split", c, data.Validation).Format());
        if (data.RealTurns.Count > 0) o.WriteLine(ClassifierEvaluation.Evaluate("real helpdesk turns (STC-3, held out)", c, data.RealTurns).Format());
        if (feedbackAll is null) return;
        if (feedbackHeldOut.Count > 0) o.WriteLine(ClassifierEvaluation.Evaluate("reviewer feedback (held out)", c, feedbackHeldOut).Format());
        o.WriteLine(ClassifierEvaluation.Evaluate("reviewer feedback (all, incl. trained-on)", c, feedbackAll).Format());
    }

    private static string? ResolveStc3(TextWriter o, string? given)
    {
        if (given is not null)
        {
            if (!File.Exists(given)) throw new BadInputException($"{given}: STC-3 dialogue file not found");
            return given;
        }
        if (FindShared(Stc3Relative, File.Exists) is { } found) return found;
        o.WriteLine($"note: {Stc3Relative} not found above the current folder: real helpdesk turns are neither trained on nor evaluated (pass --stc3)");
        return null;
    }
}
