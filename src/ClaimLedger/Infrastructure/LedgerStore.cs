using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Serialization;
using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Ledger;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;
using Weasel.Core;

namespace ClaimLedger.Infrastructure;

/// <summary>The Marten configuration of the ledger: one place, shared by every entry point and by the migration export.</summary>
public static class LedgerStore
{
    public const string DefaultSchema = ClaimLedgerOptions.DefaultSchema;

    /// <summary>How Marten stores each event type of the ledger: the name in <c>mt_events.type</c> and the .NET type name beside it.</summary>
    public static IReadOnlyDictionary<Type, StoredEventName> StoredEventNames(IDocumentStore store) =>
        ClaimEventTypes.Concat(RecordEventTypes).ToDictionary(type => type, type =>
        {
            var wrapped = ((DocumentStore)store).Events.BuildEvent(RuntimeHelpers.GetUninitializedObject(type));
            return new StoredEventName(wrapped.EventTypeName, wrapped.DotNetTypeName);
        });

    /// <summary>How this store serializes and names events and which claim columns it duplicates, for the ledger's chain and checks.</summary>
    public static StoredForms Forms(IDocumentStore store)
    {
        var serializer = store.Options.Serializer();
        var columns = store.Options.FindOrResolveDocumentType(typeof(Claim)).DuplicatedFields
            .Select(field => new ReadModelColumn(field.ColumnName, MemberPath(field.Members, store.Options.EnumStorage)))
            .ToList();
        return new StoredForms(
            serializer.ToJson,
            (json, type) => ClaimEventUpcasts.Upcast(serializer.FromJson(type, new MemoryStream(Encoding.UTF8.GetBytes(json)))),
            StoredEventNames(store),
            columns);
    }

    /// <summary>Follows the member path Marten duplicates (such as Verdict.Rating), stopping at a null, with enums stored as Marten stores them.</summary>
    private static Func<Claim, object?> MemberPath(IReadOnlyList<MemberInfo> path, EnumStorage enums) => claim =>
    {
        object? value = claim;
        foreach (var member in path)
        {
            value = value is null ? null : member switch
            {
                PropertyInfo property => property.GetValue(value),
                FieldInfo field => field.GetValue(value),
                _ => throw new NotSupportedException($"Marten duplicates {member.MemberType} {member.Name}, which the ledger cannot read."),
            };
        }

        return value is Enum e ? (enums == EnumStorage.AsString ? e.ToString() : Convert.ToInt32(e, CultureInfo.InvariantCulture)) : value;
    };

    public static readonly Type[] ClaimEventTypes =
    [
        typeof(ClaimRecorded), typeof(SourceAttached), typeof(ClaimCorroborated), typeof(ClaimDisputed),
        typeof(ClaimRecordAmended), typeof(FindingRecorded), typeof(AttributionChecked),
        typeof(VerdictIssued), typeof(ClaimRetracted), typeof(MatchDecided),
        // Stored by ledgers written before findings; read back as findings (see ClaimEventUpcasts), never appended.
        typeof(ClaimCorrected),
    ];

    /// <summary>The events of documents' and API keys' streams (<see cref="LedgerStreamIds"/>), chained like claims' events.</summary>
    public static readonly Type[] RecordEventTypes =
    [
        typeof(DocumentRegistered), typeof(Access.ApiKeyIssued), typeof(Access.ApiKeyRevoked),
    ];

    /// <summary>
    /// Marten's own pool. What runs on its connections leaves nothing in the session (transaction-scoped locks, temporary
    /// tables dropped at commit, no SET or LISTEN: those have connections of their own), so a connection goes back without
    /// Npgsql's DISCARD ALL and keeps the write's statements prepared. Measured in docs/benchmarks-analysis.md: the reset
    /// and the parsing and planning of every statement again were a large share of PostgreSQL's work per write.
    /// </summary>
    public static string SessionConnectionString(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true, MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 }.ConnectionString;

    public static void Configure(StoreOptions opts, string connectionString, string schema, bool autoCreate)
    {
        MultiHostConnections.Use(opts, SessionConnectionString(connectionString));
        opts.DatabaseSchemaName = schema;
        opts.AutoCreateSchemaObjects = autoCreate ? AutoCreate.CreateOrUpdate : AutoCreate.None;

        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, json =>
        {
            // jsonb stores keys in its own order, so a value's "$kind" discriminator is rarely first when read back.
            json.AllowOutOfOrderMetadataProperties = true;
            json.Converters.Add(new JsonStringEnumConverter());
        });

        opts.Events.StreamIdentity = StreamIdentity.AsString;
        // Rich appends give inline projections and expected-version checks the real stream version.
        opts.Events.AppendMode = EventAppendMode.Rich;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.UserNameEnabled = true;
        opts.Events.AddEventTypes(ClaimEventTypes);
        opts.Events.AddEventTypes(RecordEventTypes);
        opts.Events.Upcast<ClaimCorrected, FindingRecorded>(ClaimEventUpcasts.AsFinding);

        opts.Projections.Add<ClaimProjection>(ProjectionLifecycle.Inline);
        // The list filters and orders on these; as real, indexed columns they spare a scan of every claim's JSON.
        opts.Schema.For<Claim>()
            .Identity(c => c.Id)
            .FullTextIndex(c => c.Statement)
            .Duplicate(c => c.RecordedAt)
            .Duplicate(c => c.Status)
            .Duplicate(c => c.Verdict!.Rating);
        opts.Schema.For<SourceDocument>().Identity(d => d.Id);
        opts.Schema.For<Access.ApiKey>().Identity(k => k.Id);
        opts.Schema.For<IdempotentWrite>().Identity(w => w.Id);
        opts.Storage.ExtendedSchemaObjects.AddRange(LedgerSchema.Objects(schema));
        opts.Storage.ExtendedSchemaObjects.AddRange(Matching.MatchingSchema.Objects(schema));
        opts.Storage.ExtendedSchemaObjects.AddRange(SequencerSchema.Objects(schema));
        opts.Storage.ExtendedSchemaObjects.AddRange(CheckpointSchema.Objects(schema));
    }

    /// <summary>
    /// The SQL that creates the ledger's schema from scratch, as committed under migrations/. Needs no database:
    /// it is derived from <see cref="Configure"/> alone, so a test can tell when the two drift apart.
    /// </summary>
    public static async Task<string> CreationScriptAsync(string schema = DefaultSchema)
    {
        using var store = DocumentStore.For(opts => Configure(opts, "Host=127.0.0.1;Database=unused", schema, autoCreate: false));
        var path = Path.Combine(Path.GetTempPath(), $"claimledger-schema-{Guid.NewGuid():N}.sql");
        try
        {
            await store.Storage.WriteCreationScriptToFile(path);
            return (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
