import type { Messages } from "./message.ts";

/** Departments. */
export const departments = {
  "err.department_name": {
    en: "Enter a name of 1 to 60 characters.",
    id: "Isi nama 1 sampai 60 karakter.",
  },
  "err.department_taken": {
    en: "A department with this name already exists.",
    id: "Departemen dengan nama ini sudah ada.",
  },
  "err.department_unknown": {
    en: "One of the chosen departments no longer exists.",
    id: "Salah satu departemen yang dipilih sudah tidak ada.",
  },
  "departments.title": { en: "Departments", id: "Departemen" },
  "departments.intro": {
    en:
      "Departments group agents (for example Registration, Pharmacy, Laboratory). Conversations can be routed to a department.",
    id:
      "Departemen mengelompokkan agen (mis. Pendaftaran, Farmasi, Laboratorium). Percakapan dapat diarahkan ke departemen.",
  },
  "departments.add": { en: "Add department", id: "Tambah departemen" },
  "departments.members": { en: "Members", id: "Anggota" },
  "departments.created": {
    en: "Department {name} is added.",
    id: "Departemen {name} telah ditambahkan.",
  },
  "departments.renamed": {
    en: "Department is renamed to {name}.",
    id: "Departemen diganti namanya menjadi {name}.",
  },
  "departments.deleted": {
    en: "Department {name} is deleted.",
    id: "Departemen {name} telah dihapus.",
  },
  "departments.delete_confirm": {
    en:
      "Delete department {name}? Its members stay; conversations of this department lose their department.",
    id:
      "Hapus departemen {name}? Anggotanya tetap ada; percakapan departemen ini kehilangan departemennya.",
  },
  "departments.empty": {
    en: "No departments yet. Add the first one above.",
    id: "Belum ada departemen. Tambahkan yang pertama di atas.",
  },
  "departments.rename": { en: "Rename", id: "Ganti nama" },
} satisfies Messages;
