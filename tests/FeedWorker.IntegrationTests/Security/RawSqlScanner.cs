using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace FeedWorker.IntegrationTests.Security;

/// <summary>One place where SQL text is built from something other than compile-time constants.</summary>
public sealed record RawSqlFinding(string File, int Line, string Api, string Expression)
{
    public override string ToString() => $"{File}:{Line}: {Api} gets SQL text built from `{Expression}`";
}

/// <summary>What a scan found, and how many places handing SQL text to a database API it checked.</summary>
public sealed record RawSqlScan(IReadOnlyList<RawSqlFinding> Findings, IReadOnlyList<string> CheckedSites, IReadOnlyList<string> CompileErrors);

/// <summary>
/// Finds SQL text that is not a compile-time constant where it reaches a database API that takes raw
/// SQL: a <c>string sql/commandText/cmdText</c> parameter of Npgsql, ADO.NET or EF Core
/// (<c>new NpgsqlCommand(…)</c>, <c>NpgsqlBatchCommand</c>, <c>NpgsqlDataSource.CreateCommand</c>,
/// <c>FromSqlRaw</c>, <c>ExecuteSqlRaw(Async)</c>, <c>SqlQueryRaw</c>, <c>MigrationBuilder.Sql</c>) or a
/// <c>CommandText</c> assignment. EF Core's <c>FromSql</c>/<c>ExecuteSql</c> take a
/// <c>FormattableString</c> and turn its holes into parameters, so they are not raw.
/// </summary>
/// <remarks>
/// Roslyn's binder, not a text scan: it knows which overload a call binds to, whether an interpolated
/// string is a constant (holes that are <c>const</c> strings, such as a table-name constant, are), and
/// follows SQL through our own helpers: a method that passes its <c>string</c> parameter on as SQL is
/// itself checked at every call site.
/// </remarks>
public static class RawSqlScanner
{
    private static readonly string[] SqlParameterNames = ["sql", "commandText", "cmdText"];
    private static readonly string[] DatabaseNamespaces = ["Npgsql", "Microsoft.EntityFrameworkCore", "System.Data"];

    /// <summary>
    /// Methods whose result is SQL text with no runtime values, although not a C# constant. Each entry
    /// says why.
    /// </summary>
    private static readonly HashSet<string> TrustedSqlSources =
    [
        // Quartz's DDL read from the resource embedded in Quartz.dll, with our constant table prefix
        "FeedWorker.Storage.QuartzTables.CreateScript()",
    ];

    // ImplicitUsings (Directory.Build.props) of Microsoft.NET.Sdk, which every src project uses
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    /// <summary>Scans every .cs file under <paramref name="sourceRoot"/> (bin and obj excluded) as one compilation.</summary>
    public static RawSqlScan ScanDirectory(string sourceRoot)
    {
        var files = Directory.EnumerateFiles(sourceRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(sourceRoot, f), File.ReadAllText(f)));
        return Scan(files);
    }

    /// <summary>Scans these sources (name, text) as one compilation against the test's own runtime assemblies.</summary>
    public static RawSqlScan Scan(IEnumerable<(string Name, string Text)> sources)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, options, s.Name))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, options, "ImplicitUsings.cs"))
            .ToList();
        var program = trees.Any(t => t.GetRoot() is CompilationUnitSyntax unit && unit.Members.OfType<GlobalStatementSyntax>().Any());
        var compilation = CSharpCompilation.Create("RawSqlScan", trees, References(), new CSharpCompilationOptions(
            program ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return new Walk(compilation).Run();
    }

    private static IEnumerable<MetadataReference> References() => RuntimeReferences.Value;

    // read once per test run: loading some two hundred assemblies' metadata is the slow part of a scan
    private static readonly Lazy<IReadOnlyList<MetadataReference>> RuntimeReferences = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            // the product's own assemblies are what we compile from source
            .Where(p => !Path.GetFileName(p).StartsWith("FeedWorker.", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList());

    private sealed class Walk(CSharpCompilation compilation)
    {
        private readonly List<RawSqlFinding> _findings = [];
        private readonly List<string> _checked = [];
        // our own methods that pass a parameter on as SQL: their call sites are sinks too
        private readonly HashSet<(IMethodSymbol Method, int Ordinal)> _helpers = [];
        private readonly HashSet<ISymbol> _variablesInProgress = new(SymbolEqualityComparer.Default);
        // where each helper's parameter becomes SQL, and which helpers have call sites that were checked
        private readonly Dictionary<(IMethodSymbol Method, int Ordinal), List<RawSqlFinding>> _helperUses = [];
        private readonly HashSet<(IMethodSymbol Method, int Ordinal)> _calledHelpers = [];
        private RawSqlFinding? _currentUse;

        public RawSqlScan Run()
        {
            var operations = compilation.SyntaxTrees
                .SelectMany(tree => Operations(compilation.GetSemanticModel(tree), tree))
                .ToList();
            var before = -1;
            // a helper found while checking one call site makes more call sites sinks: repeat until nothing new
            while (before != _helpers.Count)
            {
                before = _helpers.Count;
                _findings.Clear();
                _checked.Clear();
                _helperUses.Clear();
                _calledHelpers.Clear();
                foreach (var operation in operations) Check(operation);
            }
            // a helper nobody here calls (public API, a method group) cannot be followed: its use is the finding
            foreach (var (helper, uses) in _helperUses.Where(h => !_calledHelpers.Contains(h.Key)))
            {
                _findings.AddRange(uses.Select(u => u with { Api = $"{u.Api} (through parameter {helper.Ordinal} of {helper.Method.Name}, which nothing here calls)" }));
            }
            var errors = compilation.GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error && !IsLeftToSourceGenerators(d))
                .Select(d => d.ToString())
                .ToList();
            return new RawSqlScan(_findings.ToList(), _checked.ToList(), errors);
        }

        // [GeneratedRegex] and [LoggerMessage] partial methods get their bodies from generators this compilation does not run
        private static bool IsLeftToSourceGenerators(Diagnostic d) => d.Id is "CS8795";

        private static IEnumerable<IOperation> Operations(SemanticModel model, SyntaxTree tree) =>
            tree.GetRoot().DescendantNodes()
                .Where(n => n is InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax or AssignmentExpressionSyntax or ConstructorInitializerSyntax)
                .Select(n => model.GetOperation(n))
                .OfType<IOperation>();

        private void Check(IOperation operation)
        {
            switch (operation)
            {
                case IInvocationOperation call:
                    CheckArguments(call.TargetMethod, call.Arguments, operation);
                    break;
                case IObjectCreationOperation creation when creation.Constructor is { } constructor:
                    CheckArguments(constructor, creation.Arguments, operation);
                    break;
                // `=` and `+=` alike: Value is what is assigned or appended
                case IAssignmentOperation { Target: IPropertyReferenceOperation { Property: var property } } assignment
                    when property.Name == "CommandText" && IsDatabaseType(property.ContainingType):
                    CheckSql(assignment.Value, $"{property.ContainingType.Name}.CommandText", operation);
                    break;
            }
        }

        private void CheckArguments(IMethodSymbol method, IEnumerable<IArgumentOperation> arguments, IOperation site)
        {
            foreach (var argument in arguments)
            {
                if (argument.Parameter is not { } parameter || argument.ArgumentKind == ArgumentKind.DefaultValue) continue;
                var original = method.OriginalDefinition;
                var isApi = parameter.Type.SpecialType == SpecialType.System_String
                    && SqlParameterNames.Contains(parameter.Name) && IsDatabaseType(original.ContainingType);
                var isHelper = _helpers.Contains((original, parameter.Ordinal));
                if (isHelper) _calledHelpers.Add((original, parameter.Ordinal));
                if (isApi || isHelper)
                {
                    CheckSql(argument.Value, $"{original.ContainingType.Name}.{(original.MethodKind == MethodKind.Constructor ? "ctor" : original.Name)}", site);
                }
            }
        }

        private void CheckSql(IOperation sql, string api, IOperation site)
        {
            var line = site.Syntax.GetLocation().GetLineSpan();
            _checked.Add($"{line.Path}:{line.StartLinePosition.Line + 1}: {api}");
            _currentUse = new RawSqlFinding(line.Path, line.StartLinePosition.Line + 1, api, sql.Syntax.ToString());
            if (!IsConstantText(sql))
            {
                _findings.Add(_currentUse);
            }
        }

        /// <summary>Whether the SQL text comes from compile-time constants only (through helpers' parameters, locals, concatenation).</summary>
        private bool IsConstantText(IOperation sql) => sql switch
        {
            { ConstantValue.HasValue: true } => true,
            IConversionOperation conversion => IsConstantText(conversion.Operand),
            IParenthesizedOperation parenthesized => IsConstantText(parenthesized.Operand),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary => IsConstantText(binary.LeftOperand) && IsConstantText(binary.RightOperand),
            IInterpolatedStringOperation interpolated => interpolated.Parts.All(p => p switch
            {
                IInterpolatedStringTextOperation => true,
                IInterpolationOperation hole => IsConstantText(hole.Expression),
                _ => false,
            }),
            IConditionalOperation conditional => IsConstantText(conditional.WhenTrue) && conditional.WhenFalse is { } whenFalse && IsConstantText(whenFalse),
            ICoalesceOperation coalesce => IsConstantText(coalesce.Value) && IsConstantText(coalesce.WhenNull),
            IInvocationOperation call => TrustedSqlSources.Contains(call.TargetMethod.OriginalDefinition.ToDisplayString()),
            IParameterReferenceOperation parameter => IsHelperParameter(parameter.Parameter) && IsConstantVariable(parameter, parameter.Parameter),
            ILocalReferenceOperation local => IsConstantVariable(local, local.Local),
            _ => false,
        };

        /// <summary>A parameter of a named method is checked where the method is called; a lambda's cannot be followed.</summary>
        private bool IsHelperParameter(IParameterSymbol parameter)
        {
            if (parameter.ContainingSymbol is not IMethodSymbol { MethodKind: not (MethodKind.AnonymousFunction or MethodKind.LambdaMethod) } method) return false;
            var helper = (method.OriginalDefinition, parameter.Ordinal);
            _helpers.Add(helper);
            if (!_helperUses.TryGetValue(helper, out var uses)) _helperUses[helper] = uses = [];
            uses.Add(_currentUse!);
            return true;
        }

        /// <summary>A local, or a helper's parameter (whose callers are checked), and every value assigned to it in its method.</summary>
        private bool IsConstantVariable(IOperation reference, ISymbol variable)
        {
            // `sql = sql + …` refers to itself: its other values are checked by the outer call
            if (!_variablesInProgress.Add(variable)) return true;
            try
            {
                return AssignedValues(reference, variable) is { } values && values.All(IsConstantText)
                    && (variable is IParameterSymbol || values.Count > 0);
            }
            finally
            {
                _variablesInProgress.Remove(variable);
            }
        }

        /// <summary>Every value the variable is given in its method: initializer and assignments (null: not traceable).</summary>
        private static List<IOperation>? AssignedValues(IOperation reference, ISymbol variable)
        {
            var body = reference.Syntax.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax
                or AccessorDeclarationSyntax or AnonymousFunctionExpressionSyntax);
            if (body is null || reference.SemanticModel is not { } model) return null;
            var values = new List<IOperation>();
            foreach (var node in body.DescendantNodes())
            {
                if (node is VariableDeclaratorSyntax { Initializer: { } initializer } declarator
                    && SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(declarator), variable)
                    && model.GetOperation(initializer.Value) is { } initial)
                {
                    values.Add(initial);
                }
                else if (node is AssignmentExpressionSyntax && model.GetOperation(node) is IAssignmentOperation assignment
                         && SymbolEqualityComparer.Default.Equals(Assigned(assignment.Target), variable))
                {
                    // for `sql += x` that is x: the earlier values are in the list already
                    values.Add(assignment.Value);
                }
            }
            return values;
        }

        private static ISymbol? Assigned(IOperation target) => target switch
        {
            ILocalReferenceOperation l => l.Local,
            IParameterReferenceOperation p => p.Parameter,
            _ => null,
        };

        private static bool IsDatabaseType(INamedTypeSymbol? type)
        {
            var ns = type?.ContainingNamespace?.ToDisplayString() ?? "";
            return DatabaseNamespaces.Any(d => ns == d || ns.StartsWith(d + ".", StringComparison.Ordinal));
        }
    }
}
