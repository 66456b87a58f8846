/**
 * The kernel's file layer (TRUSTED): the file system rooted at
 * {@code --root}, path resolution that cannot leave it, the shared page
 * cache, the devices, and each process's descriptor table.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link ring0.kernel.fs.Vfs}: the root, {@code resolve} and {@code open};
 *       the walk itself is {@code PathWalk}.
 *   <li>{@link ring0.kernel.fs.PageCache}: 4 KiB pages of host files in native
 *       memory, LRU, write-back.
 *   <li>{@link ring0.kernel.fs.OpenFile} and its six kinds: regular file,
 *       directory, {@code /dev/null}, {@code /dev/zero}, input and output streams.
 *   <li>{@link ring0.kernel.fs.FdTable}: the system calls on files, returning
 *       {@code -errno} ({@link ring0.kernel.fs.Errno}).
 * </ul>
 *
 * <h2>Races with the host</h2>
 * With {@code openat2} (Linux 5.6 and later: {@link ring0.kernel.fs.Vfs}
 * checks once), every host open is relative to the root held open, resolved
 * by the host in one call with {@code RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS}
 * ({@code HostRoot}): a program's plain path directly, any other path after
 * the kernel's own walk ({@code PathWalk}), by the link-free path the walk
 * found. So:
 * <ul>
 *   <li><b>Directories on the way.</b> A directory replaced by a symbolic
 *       link (to anywhere) before or during the open makes the host call fail
 *       with {@code ELOOP}, and the open starts again (then the walk sees the
 *       link and applies its rules); a {@code ..} racing with a rename gives
 *       {@code EAGAIN}, also retried. Never more than {@code Vfs.MAX_ATTEMPTS}
 *       tries, then the last error. No link and no {@code ..} ever leads an
 *       open out of the root. (A host process that moves a directory out of
 *       the root while the host resolves a path through it can still make the
 *       open reach what was inside when the resolution entered it: that takes
 *       write access on both sides, and is the same for any chroot.)
 *   <li><b>Last component.</b> The kernel opens at once only what a hint
 *       (what it found at the path last time, else {@code fstatat} by path)
 *       says is a regular file or directory, and checks with {@code fstat}
 *       of the new descriptor that it is; anything
 *       else is opened with {@code O_PATH} first (no driver runs, nothing
 *       blocks), typed by {@code fstat} of that descriptor, and only a regular
 *       file or directory is reopened for real, through the descriptor itself
 *       ({@code /proc/self/fd}). So a fifo, socket or device node is opened
 *       (without blocking, then refused) only if a host process puts it
 *       where the kernel found a regular file or directory, as with the walk
 *       below. A file is
 *       created only with {@code O_CREAT | O_EXCL}, so creating never opens
 *       an object that appeared in the meantime.
 * </ul>
 * Without {@code openat2} (older host, seccomp, no {@code /proc}), resolution
 * is the walk alone, which asks the host about one name at a time by path and
 * never lets it follow a link, but there is a window between checking a
 * component and the open by path:
 * <ul>
 *   <li><b>Last component.</b> If it is replaced by a symbolic link after
 *       resolution, the open fails with {@code ELOOP}: the host open uses
 *       {@code O_NOFOLLOW}. If it is replaced by a fifo, the open does not
 *       block ({@code O_NONBLOCK}), and the type is checked with
 *       {@code fstat} of the new descriptor, so the kernel refuses anything
 *       but a regular file (or a directory, for a directory open), and the
 *       attributes it keeps are those of exactly the inode it opened. (A
 *       device node swapped in is opened before it is refused: its driver's
 *       {@code open} runs, which needs an accomplice on the host able to
 *       create device nodes inside the root.)
 *   <li><b>Directories on the way.</b> If a directory already checked is
 *       replaced by a symbolic link pointing outside the root before the open,
 *       the host follows it: this is the one way out, and it needs an
 *       accomplice on the host with write access inside the root. ring0
 *       programs cannot be that accomplice: the kernel offers them no
 *       service that creates links or directories or renames anything.
 * </ul>
 * In both cases:
 * <ul>
 *   <li><b>Files changed by the host while open.</b> The cache assumes the
 *       kernel is the only writer of a file while any process has it open; a
 *       host change then is not seen (cached pages win) and may be overwritten
 *       by write-back, and {@code fstat} keeps answering with the attributes
 *       of the last open. Between opens, a change of size, mtime or ctime makes
 *       the next open drop the cached pages.
 * </ul>
 */
package ring0.kernel.fs;
