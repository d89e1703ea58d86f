-- Prior state: the input inventory earlier runs published.
SELECT source_path, size, mtime_ns, file_hash, status FROM files;
