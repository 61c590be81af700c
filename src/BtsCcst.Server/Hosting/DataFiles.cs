namespace BtsCcst.Server.Hosting;

/// <summary>
/// The data folder holds every mark and name (the SQLite grain store) and the token signing key:
/// on Unix the folder is created for its owner only (0700) and its files readable by their owner
/// only (0600), from their creation.
/// </summary>
public static class DataFiles
{
    public const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupAndOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="folder"/> (and missing parents) 0700; an existing folder is left as it is.</summary>
    public static void CreatePrivateFolder(string folder)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, PrivateFolder);
    }

    /// <summary>
    /// Creates the SQLite database file empty and 0600 before SQLite opens it (SQLite would create it
    /// with the process's umask, usually 0644; it gives the <c>-wal</c> and <c>-shm</c> files it
    /// creates the database file's permissions). An existing database and its companions lose any
    /// access by group and others (a store left readable by an earlier version).
    /// </summary>
    public static void PrepareSqliteDatabase(string databaseFile)
    {
        if (OperatingSystem.IsWindows()) return;
        // An empty file is an empty SQLite database.
        if (TryCreatePrivateFile(databaseFile, [])) return;
        foreach (var file in new[] { databaseFile, databaseFile + "-wal", databaseFile + "-shm", databaseFile + "-journal" })
        {
            if (!File.Exists(file)) continue;
            var mode = File.GetUnixFileMode(file);
            if ((mode & GroupAndOthers) != 0) File.SetUnixFileMode(file, mode & ~GroupAndOthers);
        }
    }

    /// <summary>
    /// Creates <paramref name="path"/> with <paramref name="content"/>, 0600 from its creation, only if
    /// it does not exist: false when another process (a silo starting at the same time) created it first.
    /// </summary>
    public static bool TryCreatePrivateFile(string path, ReadOnlySpan<byte> content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = PrivateFile;
        FileStream stream;
        try
        {
            stream = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        using (stream)
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        return true;
    }
}
