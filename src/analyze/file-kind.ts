/**
 * What a transferred file is, for the clear-text download analysis: by its first bytes when the app layer saw
 * them (FileRow.magic), by its name's extension, and by the content type the server declared. The first bytes
 * cannot lie about a native executable; a name and a content type can, both ways.
 */

/**
 * native: PE/ELF/Mach-O binaries; package: installers, disk images, app archives; os-script: scripts the OS
 * runs on a double click or a shell runs as is; script: other interpreters' scripts; web: JavaScript and CSS as
 * browsers load them with pages
 */
export type FileClass = 'native' | 'package' | 'os-script' | 'script' | 'web';

export interface FileKind {
  cls: FileClass;
  /** what it is, for explanations: "PE executable", "disk image (.iso)", ... */
  what: string;
}

/** First bytes (lower-case hex prefixes) of native executables. */
const MAGIC: [string, string][] = [
  ['4d5a', 'PE/DOS executable (MZ)'],
  ['7f454c46', 'ELF executable'],
  ['feedface', 'Mach-O executable'],
  ['feedfacf', 'Mach-O executable'],
  ['cefaedfe', 'Mach-O executable'],
  ['cffaedfe', 'Mach-O executable'],
  // also a Java class file: either way code
  ['cafebabe', 'Mach-O universal binary or Java class'],
];

const EXT: Record<string, [FileClass, string]> = {};
function ext(cls: FileClass, what: string, list: string): void {
  for (const e of list.split(' ')) EXT[e] = [cls, what];
}
ext('native', 'Windows executable', 'exe dll scr com cpl sys ocx drv efi');
ext('native', 'Unix executable or library', 'elf so dylib bin run');
ext('package', 'Windows installer', 'msi msp msix msixbundle appx appxbundle cab');
ext('package', 'disk image', 'iso img vhd vhdx dmg');
ext('package', 'Android package', 'apk xapk aab');
ext('package', 'Java archive', 'jar war');
ext('package', 'package', 'deb rpm pkg mpkg app');
ext('os-script', 'Windows batch file', 'bat cmd');
ext('os-script', 'PowerShell script', 'ps1 psm1 psd1');
ext('os-script', 'VBScript', 'vbs vbe');
ext('os-script', 'Windows Script Host file', 'jse wsf wsh');
ext('os-script', 'HTML application', 'hta');
ext('os-script', 'shell script', 'sh bash zsh command');
ext('os-script', 'Windows shortcut or registry file', 'lnk reg url scf');
ext('script', 'script', 'py pl rb');
ext('web', 'JavaScript', 'js mjs');
ext('web', 'stylesheet', 'css');

/** Declared content types of executables and OS scripts (parameters stripped, lower-cased). */
const TYPES: Record<string, [FileClass, string]> = {
  'application/x-msdownload': ['native', 'Windows executable'],
  'application/x-msdos-program': ['native', 'Windows executable'],
  'application/x-dosexec': ['native', 'Windows executable'],
  'application/vnd.microsoft.portable-executable': ['native', 'Windows executable'],
  'application/x-executable': ['native', 'executable'],
  'application/x-elf': ['native', 'ELF executable'],
  'application/x-sharedlib': ['native', 'shared library'],
  'application/x-mach-binary': ['native', 'Mach-O executable'],
  'application/java-archive': ['package', 'Java archive'],
  'application/x-java-archive': ['package', 'Java archive'],
  'application/vnd.android.package-archive': ['package', 'Android package'],
  'application/x-msi': ['package', 'Windows installer'],
  'application/x-ms-installer': ['package', 'Windows installer'],
  'application/x-apple-diskimage': ['package', 'disk image'],
  'application/x-iso9660-image': ['package', 'disk image'],
  'application/x-sh': ['os-script', 'shell script'],
  'text/x-sh': ['os-script', 'shell script'],
  'text/x-shellscript': ['os-script', 'shell script'],
  'application/x-bat': ['os-script', 'Windows batch file'],
  'application/hta': ['os-script', 'HTML application'],
  'text/x-python': ['script', 'script'],
  'text/x-perl': ['script', 'script'],
};

/** Content types browsers load scripts and styles with (RFC 9239 lists the JavaScript ones). */
const WEB_TYPE = /^(?:text|application)\/(?:x-)?(?:javascript|ecmascript|jscript|livescript)$|^text\/css$/;

export function mediaType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const t = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return t || null;
}

export function extensionOf(name: string | null | undefined): string | null {
  if (!name) return null;
  const dot = name.lastIndexOf('.');
  if (dot < 0 || dot === name.length - 1) return null;
  const e = name.slice(dot + 1).toLowerCase();
  return /^[a-z0-9]{1,12}$/.test(e) ? e : null;
}

export function kindByMagic(magic: string | null | undefined): FileKind | null {
  if (!magic) return null;
  const m = magic.toLowerCase();
  for (const [prefix, what] of MAGIC) if (m.startsWith(prefix)) return { cls: 'native', what };
  // "#!" starts a script any Unix shell runs as it is
  if (m.startsWith('2321')) return { cls: 'os-script', what: 'script with a #! line' };
  return null;
}

export function kindByExtension(name: string | null | undefined): FileKind | null {
  const e = extensionOf(name);
  const k = e ? EXT[e] : undefined;
  return k ? { cls: k[0], what: `${k[1]} (.${e})` } : null;
}

export function kindByType(contentType: string | null | undefined): FileKind | null {
  const t = mediaType(contentType);
  if (!t) return null;
  if (WEB_TYPE.test(t)) return { cls: 'web', what: t.endsWith('css') ? 'stylesheet' : 'JavaScript' };
  const k = TYPES[t];
  return k ? { cls: k[0], what: k[1] } : null;
}
