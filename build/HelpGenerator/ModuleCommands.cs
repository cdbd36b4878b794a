using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;

namespace AwsVault.Build.Help
{
    /// <summary>A command as PowerShell binds it, read from the imported module rather than from the help.</summary>
    internal sealed class CommandModel
    {
        public string Name { get; init; }
        public string Verb { get; init; }
        public string Noun { get; init; }
        /// <summary>The MAML file Get-Help opens for this command (a cmdlet's assembly name + "-Help.xml", or a
        /// function's .ExternalHelp comment); null when Get-Help would look for none.</summary>
        public string HelpFile { get; init; }
        public List<ParameterModel> Parameters { get; } = new List<ParameterModel>();
        /// <summary>Default set first, as Get-Help lists the syntax.</summary>
        public List<ParameterSetModel> Sets { get; } = new List<ParameterSetModel>();
        public List<string> OutputTypes { get; } = new List<string>();
    }

    internal sealed class ParameterModel
    {
        public string Name { get; init; }
        public Type Type { get; init; }
        public bool IsSwitch => Type == typeof(SwitchParameter);
        public string[] Aliases { get; init; }
        public bool Globbing { get; init; }
        /// <summary>ValidateSet or enum values, shown as {a | b} in the syntax.</summary>
        public string[] Values { get; init; }
        public string DefaultValue { get; set; }
        public List<SetParameterModel> InSets { get; } = new List<SetParameterModel>();
    }

    internal sealed class ParameterSetModel
    {
        public string Name { get; init; }
        public List<SetParameterModel> Parameters { get; } = new List<SetParameterModel>();
    }

    internal sealed class SetParameterModel
    {
        public ParameterModel Parameter { get; init; }
        public bool Mandatory { get; init; }
        /// <summary>Null for a named parameter.</summary>
        public int? Position { get; init; }
        public bool ByValue { get; init; }
        public bool ByPropertyName { get; init; }
    }

    internal static class ModuleCommands
    {
        /// <summary>Parameters every advanced command has; their help is PowerShell's (about_CommonParameters).</summary>
        public static bool IsCommon(string name) =>
            Cmdlet.CommonParameters.Contains(name) || Cmdlet.OptionalCommonParameters.Contains(name);

        public static bool IsShouldProcess(string name) => name == "WhatIf" || name == "Confirm";

        public static List<CommandModel> Load(string manifestPath)
        {
            var iss = InitialSessionState.CreateDefault2();
            // A hosted engine on Windows would otherwise apply the machine's policy to the module's .psm1.
            if (OperatingSystem.IsWindows()) iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            using var runspace = RunspaceFactory.CreateRunspace(iss);
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddCommand("Import-Module").AddParameter("Name", manifestPath).AddParameter("PassThru").AddParameter("ErrorAction", "Stop");
            PSModuleInfo module = ps.Invoke().Select(o => o.BaseObject).OfType<PSModuleInfo>().First();
            // Metadata is read while the runspace is open: parameter sets are resolved through it.
            return module.ExportedCommands.Values.OrderBy(c => c.Name, StringComparer.Ordinal).Select(Describe).ToList();
        }

        private static CommandModel Describe(CommandInfo command)
        {
            string helpFile;
            object instance = null;
            Dictionary<string, string> scriptDefaults = null;
            switch (command)
            {
                case CmdletInfo cmdlet:
                    helpFile = cmdlet.HelpFile;
                    try { instance = Activator.CreateInstance(cmdlet.ImplementingType); }
                    catch (MissingMethodException) { }
                    break;
                case FunctionInfo function:
                    var ast = function.ScriptBlock.Ast as FunctionDefinitionAst ?? function.ScriptBlock.Ast.Parent as FunctionDefinitionAst;
                    helpFile = ast?.GetHelpContent()?.MamlHelpFile;
                    scriptDefaults = ast?.Body.ParamBlock?.Parameters.ToDictionary(
                        p => p.Name.VariablePath.UserPath, p => p.DefaultValue?.Extent.Text, StringComparer.OrdinalIgnoreCase);
                    break;
                default:
                    throw new InvalidOperationException(command.Name + " is a " + command.CommandType + "; only cmdlets and functions have MAML help.");
            }

            string[] verbNoun = command.Name.Split('-', 2);
            var model = new CommandModel { Name = command.Name, Verb = verbNoun[0], Noun = verbNoun.Length > 1 ? verbNoun[1] : string.Empty, HelpFile = helpFile };
            model.OutputTypes.AddRange(command.OutputType.Select(t => t.Type == typeof(void) ? "None" : t.Name));

            var byName = new Dictionary<string, ParameterModel>(StringComparer.OrdinalIgnoreCase);
            foreach (CommandParameterSetInfo set in command.ParameterSets.OrderByDescending(s => s.IsDefault))
            {
                var setModel = new ParameterSetModel { Name = set.Name };
                foreach (CommandParameterInfo p in set.Parameters)
                {
                    if (Cmdlet.CommonParameters.Contains(p.Name)) continue;
                    if (!byName.TryGetValue(p.Name, out ParameterModel parameter))
                    {
                        parameter = new ParameterModel
                        {
                            Name = p.Name,
                            Type = p.ParameterType,
                            Aliases = p.Aliases.ToArray(),
                            Globbing = p.Attributes.OfType<SupportsWildcardsAttribute>().Any(),
                            Values = p.Attributes.OfType<ValidateSetAttribute>().FirstOrDefault()?.ValidValues.ToArray()
                                     ?? (p.ParameterType.IsEnum ? Enum.GetNames(p.ParameterType) : null),
                        };
                        byName.Add(p.Name, parameter);
                        model.Parameters.Add(parameter);
                    }
                    var inSet = new SetParameterModel
                    {
                        Parameter = parameter,
                        Mandatory = p.IsMandatory,
                        Position = p.Position == int.MinValue ? null : p.Position,
                        ByValue = p.ValueFromPipeline,
                        ByPropertyName = p.ValueFromPipelineByPropertyName,
                    };
                    parameter.InSets.Add(inSet);
                    setModel.Parameters.Add(inSet);
                }
                model.Sets.Add(setModel);
            }

            foreach (ParameterModel p in model.Parameters)
            {
                string text = null;
                if (instance != null)
                {
                    text = Display(instance.GetType().GetProperty(p.Name)?.GetValue(instance));
                }
                else if (scriptDefaults != null && scriptDefaults.TryGetValue(p.Name, out string expression))
                {
                    text = expression;
                }
                p.DefaultValue = p.InSets.All(s => s.Mandatory) ? "None" : text ?? (p.IsSwitch ? "False" : "None");
            }
            return model;
        }

        // A property's initial value as Get-Help shows it; a type's zero value means "not given" here.
        private static string Display(object value)
        {
            switch (value)
            {
                case null: return null;
                case SwitchParameter s: return s.IsPresent ? "True" : "False";
                case string s: return s.Length == 0 ? null : s;
                case ICollection c: return c.Count == 0 ? null : string.Join(", ", c.Cast<object>());
                case bool b: return b ? "True" : "False";
            }
            Type type = value.GetType();
            if (type.IsValueType && value.Equals(Activator.CreateInstance(type))) return null;
            return value.ToString();
        }
    }
}
