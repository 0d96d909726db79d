using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Hosting;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Maintenance;
using Microsoft.Data.Sqlite;

namespace AccessTokenPanel.Tests.Maintenance;

/// <summary>A running panel on a pooled SQLite file (as in production), with one backup taken at the start.</summary>
public sealed class RunningPanelFixture : IAsyncLifetime
{
    public FaultyDatabaseAppFactory App { get; } = new();
    public string Scratch { get; } = Directory.CreateTempSubdirectory("atp-backup-").FullName;
    public TestUser Owner { get; private set; } = null!;
    public string OwnerSecret { get; private set; } = "";
    /// <summary>A backup of the running panel; tests copy it rather than change it.</summary>
    public string Backup { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Owner = await TestUsers.CreateEnrolledUserAsync(App.Services, "backup@example.com", PanelRoles.SuperAdministrator);
        OwnerSecret = await App.IssueTokenAsync(Owner.Id, ApiType.Rest, name: "before every backup");
        Backup = Path.Combine(Scratch, "fixture.db");
        var (code, _, error) = BackupRestoreTests.Command("backup", Backup, App.File);
        Assert.True(code == 0, error);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        Directory.Delete(Scratch, recursive: true);
    }
}

public class BackupRestoreTests(RunningPanelFixture panel) : IClassFixture<RunningPanelFixture>
{
    [Fact]
    public async Task BackupsTakenDuringWritesAreConsistentAndRestoreIntoAFreshPlaceThatServesTheirTokens()
    {
        var secrets = new ConcurrentDictionary<int, string>();
        var progress = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource();
        // Issuing writes a token and its audit entry in one transaction, through the app's pooled connections.
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                secrets[i] = await panel.App.IssueTokenAsync(panel.Owner.Id, ApiType.Rest, name: $"load {i:D6}");
                progress.Release();
            }
        });
        var backups = new List<string>();
        try
        {
            for (var round = 0; round < 3; round++)
            {
                await WaitForWritesAsync(progress, 15, writer);
                var file = Path.Combine(panel.Scratch, $"during-writes-{round}.db");
                var (code, output, error) = Command("backup", file, panel.App.File);
                Assert.True(code == 0, error);
                Assert.Contains("Backed up", output);
                backups.Add(file);
            }
            await WaitForWritesAsync(progress, 5, writer);
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }

        var counts = backups.Select(AssertConsistent).ToList();
        // Each backup came after 15 more issuances had committed.
        Assert.True(counts[0] >= 15 && counts[1] >= 30 && counts[2] >= 45 && counts[0] < counts[1] && counts[1] < counts[2], string.Join(", ", counts));
        Assert.True(secrets.Count > counts[2], "the writer went on after the last backup");

        await using var restored = new ApiAppFactory();
        var (restoreCode, restoreOutput, restoreError) = Command("restore", backups[2], restored.DatabasePath);
        Assert.True(restoreCode == 0, restoreError);
        Assert.Contains("Restored", restoreOutput);
        Assert.Equal(RowCounts(backups[2]), RowCounts(restored.DatabasePath));

        var ready = await restored.CreateClient().GetAsync("/healthz/ready");
        Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        // Tokens issued before the backup work on the restored panel; one issued after it does not exist there.
        Assert.Equal(HttpStatusCode.OK, (await restored.ClientWith(panel.OwnerSecret).GetAsync("/api/v1/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await restored.ClientWith(secrets[counts[2] - 1]).GetAsync("/api/v1/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await restored.ClientWith(secrets[counts[2]]).GetAsync("/api/v1/tokens")).StatusCode);
    }

    [Fact]
    public void BackupIsPrivateAndNeverOverwritesAFile()
    {
        var file = Path.Combine(panel.Scratch, "private.db");

        Assert.Equal(0, Command("backup", file, panel.App.File).ExitCode);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        var before = File.ReadAllBytes(file);

        var (code, _, error) = Command("backup", file, panel.App.File);
        Assert.Equal(DatabaseCommand.Failed, code);
        Assert.Contains("already exists", error);
        Assert.Equal(before, File.ReadAllBytes(file));
        Assert.Empty(Directory.GetFiles(panel.Scratch, "*.partial"));
    }

    [Fact]
    public void RestoreRefusesAFileThatIsNotASqliteDatabase()
    {
        var garbage = Path.Combine(panel.Scratch, "garbage.db");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 8192).Select(i => (byte)(i * 7)).ToArray());

        AssertRefusedWithoutChange(garbage, "is not a SQLite database");
    }

    [Fact]
    public void RestoreRefusesASqliteDatabaseThatIsNotThePanels()
    {
        var other = Path.Combine(panel.Scratch, "other-app.db");
        Sql(other, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('hello');");

        AssertRefusedWithoutChange(other, "not the panel's");
    }

    [Fact]
    public void RestoreRefusesABackupFromANewerVersion()
    {
        var newer = Path.Combine(panel.Scratch, "newer.db");
        File.Copy(panel.Backup, newer);
        Sql(newer, "INSERT INTO __EFMigrationsHistory (MigrationId, ProductVersion) VALUES ('29991231235959_FromTheFuture', '99.0.0');");

        AssertRefusedWithoutChange(newer, "29991231235959_FromTheFuture is unknown to this version");
    }

    [Fact]
    public void RestoreRefusesWhileThePanelHasTheDatabaseOpen()
    {
        var (code, _, error) = Command("restore", panel.Backup, panel.App.File);

        Assert.Equal(DatabaseCommand.Failed, code);
        Assert.Contains("in use by another process", error);
        Assert.Empty(Directory.GetFiles(panel.App.Folder, "*before-restore*"));
    }

    [Fact]
    public void RestoreOverAStoppedPanelsDatabaseKeepsTheOneItReplaces()
    {
        var folder = Directory.CreateDirectory(Path.Combine(panel.Scratch, $"stopped-{Guid.NewGuid():N}")).FullName;
        var database = Path.Combine(folder, "panel.db");
        File.Copy(panel.Backup, database);
        // The stopped panel's database went on after the backup (WAL mode, as the panel leaves it).
        Sql(database, "PRAGMA journal_mode=WAL; INSERT INTO AuditEntries (OccurredAt, Action, SubjectType, Details) VALUES ('2026-12-01 00:00:00', 'after.backup', 'test', '');");
        var current = RowCounts(database);

        var (code, output, error) = Command("restore", panel.Backup, database);

        Assert.True(code == 0, error);
        Assert.Equal(RowCounts(panel.Backup), RowCounts(database));
        var kept = Assert.Single(Directory.GetFiles(folder, "panel.db.before-restore-*"));
        Assert.Contains(kept, output);
        Assert.Equal(current, RowCounts(kept));
        Assert.Contains("revocations too", output);
    }

    [Fact]
    public void RestoreOverAGarbledDatabaseMovesItAside()
    {
        var folder = Directory.CreateDirectory(Path.Combine(panel.Scratch, $"garbled-{Guid.NewGuid():N}")).FullName;
        var database = Path.Combine(folder, "panel.db");
        File.WriteAllBytes(database, Enumerable.Repeat((byte)'x', 4096).ToArray());

        var (code, _, error) = Command("restore", panel.Backup, database);

        Assert.True(code == 0, error);
        Assert.Equal(RowCounts(panel.Backup), RowCounts(database));
        var kept = Assert.Single(Directory.GetFiles(folder, "panel.db.before-restore-*"));
        Assert.All(File.ReadAllBytes(kept), b => Assert.Equal((byte)'x', b));
    }

    [Fact]
    public async Task BackupCommandOfThePublishedEntryPointExitsWithoutStartingThePanel()
    {
        var file = Path.Combine(panel.Scratch, "from-the-command-line.db");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "AccessTokenPanel.Web.dll"), "backup", file,
                "--Database:ConnectionString", $"Data Source={panel.App.File}" },
            WorkingDirectory = panel.Scratch,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, await error);
        Assert.StartsWith($"Backed up {panel.App.File} to {file}", await output);
        Assert.DoesNotContain("Now listening", await output);
        Assert.True(PanelDatabaseFile.Inspect(file).IsUsable);
    }

    internal static (int ExitCode, string Output, string Error) Command(string verb, string file, string database)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = DatabaseCommand.Run([verb, file, "--Database:ConnectionString", $"Data Source={database}"], output, error);
        return (code, output.ToString(), error.ToString());
    }

    private void AssertRefusedWithoutChange(string backup, string reason)
    {
        var folder = Directory.CreateDirectory(Path.Combine(panel.Scratch, $"target-{Guid.NewGuid():N}")).FullName;
        var database = Path.Combine(folder, "panel.db");
        File.Copy(panel.Backup, database);
        var before = File.ReadAllBytes(database);

        var (code, output, error) = Command("restore", backup, database);

        Assert.Equal(DatabaseCommand.Failed, code);
        Assert.Empty(output);
        Assert.Contains(reason, error);
        Assert.Contains("Nothing was changed", error);
        Assert.Equal(before, File.ReadAllBytes(database));
        Assert.Equal(["panel.db"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    private static async Task WaitForWritesAsync(SemaphoreSlim progress, int count, Task writer)
    {
        for (var i = 0; i < count; i++)
        {
            // The writer's own failure ends the wait with its exception.
            if (await Task.WhenAny(progress.WaitAsync(), writer) == writer)
            {
                await writer;
            }
        }
    }

    /// <summary>
    /// A backup is the database of one instant: the load tokens it holds are the first n issued, with
    /// no gap, and each has the audit entry written in the same transaction (and no entry lacks its token).
    /// </summary>
    private static int AssertConsistent(string backup)
    {
        var names = Strings(backup, "SELECT Name FROM AccessTokens WHERE Name LIKE 'load %' ORDER BY Name;");
        Assert.Equal(Enumerable.Range(0, names.Count).Select(i => $"load {i:D6}"), names);
        var audited = Strings(backup, $"""
            SELECT t.Name FROM AuditEntries a LEFT JOIN AccessTokens t ON upper(t.Id) = upper(a.SubjectId)
            WHERE a.Action = '{AuditActions.TokenCreated}' ORDER BY t.Name;
            """);
        Assert.DoesNotContain(null, audited);
        Assert.Equal(names, audited.Where(n => n!.StartsWith("load ", StringComparison.Ordinal)));
        return names.Count;
    }

    private static Dictionary<string, long> RowCounts(string database) =>
        Strings(database, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%';")
            .ToDictionary(table => table!, table => long.Parse(Strings(database, $"SELECT count(*) FROM \"{table}\";").Single()!));

    private static List<string?> Strings(string database, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string?>();
        while (reader.Read())
        {
            values.Add(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }
        return values;
    }

    private static void Sql(string database, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
