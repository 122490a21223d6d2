// The preview page of `kehoach serve`. Hand-written, no framework: the form is built from the
// plan's JSON Schema (so a field added to the model appears here with its description), the body
// is an outline editor, and every edit sends the plan to /api/preview (debounced, one request in
// flight) whose SVG pages replace the changed pages in place.
'use strict';

const S = {
  schema: null, defs: {}, plan: {}, file: null, fileName: 'ke-hoach',
  findings: [], loadError: null, canDownload: false,
  timer: null, inflight: false, dirty: false, seq: 0, shownSeq: 0,
  inputAt: 0, lastLatency: null, latencies: [], breakdowns: [], renders: 0, edited: false,
};
window.kehoach = S; // for the browser tests and the benchmark

const $ = (sel, el = document) => el.querySelector(sel);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined) e.append(kid);
  return e;
};

// ---------- paths: ['noi_dung', 1, 'muc_con', 0, 'tieu_de'] <-> "noi_dung[1].muc_con[0].tieu_de"
function pathStr(p) {
  let s = '';
  for (const seg of p) s += typeof seg === 'number' ? `[${seg}]` : (s ? '.' : '') + seg;
  return s;
}
function getAt(p) {
  let v = S.plan;
  for (const seg of p) { if (v === null || v === undefined) return undefined; v = v[seg]; }
  return v;
}
function setAt(p, value) {
  let v = S.plan;
  for (let i = 0; i < p.length - 1; i++) {
    if (v[p[i]] === undefined || v[p[i]] === null) v[p[i]] = typeof p[i + 1] === 'number' ? [] : {};
    v = v[p[i]];
  }
  const last = p[p.length - 1];
  if (value === undefined) { if (Array.isArray(v)) v[last] = ''; else delete v[last]; } else v[last] = value;
}

// ---------- the schema
function resolve(node) {
  while (node && node.$ref) node = S.defs[node.$ref.replace('#/$defs/', '')];
  return node || {};
}
function refName(node) { return node && node.$ref ? node.$ref.replace('#/$defs/', '') : null; }
// What kind of input a schema node is: {k, nullable, ...}.
function kind(node) {
  const r = resolve(node);
  const t = Array.isArray(r.type) ? r.type : (r.type ? [r.type] : []);
  const nullable = t.includes('null');
  if (r.anyOf) {
    const branches = r.anyOf.filter(b => !(b.type === 'null'));
    const isNull = branches.length < r.anyOf.length;
    if (branches.length === 1) return { ...kind(branches[0]), nullable: true, description: r.description || resolve(branches[0]).description };
    const names = branches.map(b => refName(b));
    const strs = branches.filter(b => b.type === 'string').length;
    const strArr = branches.some(b => b.type === 'array' && resolve(b.items).type === 'string');
    if (strs === 1 && strArr) return { k: 'lines', nullable: isNull };
    if (names.includes('MucDayDu')) return { k: 'muc', nullable: isNull };
    const obj = branches.find(b => resolve(b).type === 'object');
    if (strs === 1 && obj) return { k: 'strOrObj', obj, nullable: isNull };
    return { k: 'json', nullable: isNull };
  }
  if (r.oneOf && r.oneOf.every(o => 'const' in o)) return { k: 'enum', options: r.oneOf, nullable };
  if (r.enum) return { k: 'enum', options: r.enum.map(v => ({ const: v })), nullable };
  if (t.includes('array')) return { k: 'array', items: r.items, nullable };
  if (t.includes('object') || r.properties) return { k: 'object', node: r, nullable };
  if (t.includes('integer') || t.includes('number')) return { k: 'number', nullable };
  if (t.includes('boolean')) return { k: 'bool', nullable };
  if (t.includes('string')) return { k: 'string', nullable };
  return { k: 'json', nullable };
}
function describe(node) { return node.description || resolve(node).description || ''; }
// A new value for a schema node: an object with its required fields.
function fresh(node) {
  const r = resolve(node), k = kind(node);
  if (k.k === 'object') {
    const o = {};
    for (const req of r.required || []) o[req] = fresh(r.properties[req]);
    return o;
  }
  if (k.k === 'array') return [];
  if (k.k === 'enum') return k.options[0].const;
  if (k.k === 'number') return 0;
  return '';
}

// ---------- labels (the schema's descriptions are the help under each)
const LABELS = {
  the_thuc: 'Thể thức', co_quan_chu_quan: 'Cơ quan chủ quản', co_quan_ban_hanh: 'Cơ quan ban hành', so: 'Số',
  ky_hieu: 'Ký hiệu', dia_danh: 'Địa danh', ngay: 'Ngày ban hành', do_mat: 'Độ mật', do_khan: 'Độ khẩn',
  du_thao: 'Dự thảo', pham_vi_luu_hanh: 'Phạm vi lưu hành', ten_loai: 'Tên loại', trich_yeu: 'Trích yếu',
  can_cu: 'Căn cứ', can_cu_trinh_bay: 'Trình bày căn cứ', mo_dau: 'Mở đầu', dau_danh_so: 'Dấu sau số mục, khoản',
  noi_dung: 'Nội dung', ket_thuc: 'Kết thúc', nguoi_ky: 'Người ký', noi_nhan: 'Nơi nhận',
  ky_hieu_soan_thao: 'Ký hiệu người soạn thảo', quyen_han: 'Quyền hạn', loai: 'Loại', ten: 'Tên',
  chuc_vu: 'Chức vụ', ho_ten: 'Họ và tên', chuc_danh_duoi_ten: 'Chức danh dưới tên', muc: 'Các nơi nhận',
  luu: 'Lưu', ghi_chu: 'Ghi chú', tieu_de: 'Tiêu đề', van_ban: 'Đoạn văn', kieu: 'Kiểu', kieu_muc_con: 'Kiểu mục con',
  so_hieu: 'Số hiệu tự ghi', nhiem_vu: 'Nhiệm vụ', trinh_bay_nhiem_vu: 'Trình bày nhiệm vụ của mục con',
  chu_tri: 'Chủ trì', phoi_hop: 'Phối hợp', tham_muu: 'Tham mưu', thoi_gian: 'Thời gian', san_pham: 'Sản phẩm',
  muc_con: 'Mục con', phu_luc: 'Phụ lục',
};
const label = k => LABELS[k] || (k.charAt(0).toUpperCase() + k.slice(1).replace(/_/g, ' '));
const GROUPS = [
  ['Đầu văn bản', ['the_thuc', 'co_quan_chu_quan', 'co_quan_ban_hanh', 'so', 'ky_hieu', 'dia_danh', 'ngay', 'do_mat', 'do_khan', 'du_thao', 'pham_vi_luu_hanh', 'ten_loai', 'trich_yeu']],
  ['Căn cứ và mở đầu', ['can_cu', 'can_cu_trinh_bay', 'mo_dau']],
  ['Nội dung', ['dau_danh_so', 'noi_dung']],
  ['Kết thúc, người ký, nơi nhận', ['ket_thuc', 'nguoi_ky', 'noi_nhan', 'ky_hieu_soan_thao']],
];
const LONG = new Set(['trich_yeu', 'van_ban', 'mo_dau', 'ket_thuc', 'can_cu']);
const KIEU_NAMES = { muc: 'Mục', khoan: 'Khoản', tiet: 'Tiểu mục', diem: 'Điểm', ngoac: '(1)', gach: 'Gạch đầu dòng', cong: 'Dấu +', sao: 'Dấu *', cham: 'Dấu •', doan: 'Đoạn văn' };
const LEVEL_NAMES = ['Mục', 'Khoản', 'Điểm', 'Gạch đầu dòng', 'Dấu +'];

// ---------- building the form
let uid = 0;
function helpEl(text, id) { return text ? el('small', { class: 'help', id }, text) : null; }

// A row: label, help, the control; `control` gets data-field and aria-describedby.
function row(key, node, p, control) {
  const f = pathStr(p), id = 'f' + (++uid), hid = 'h' + uid;
  control.id = id;
  control.setAttribute('data-field', f);
  const help = describe(node);
  if (help) control.setAttribute('aria-describedby', hid);
  return el('div', { class: 'row', 'data-row': f }, el('label', { for: id, text: label(key) }), helpEl(help, hid), control);
}

function textControl(key, value, k, long) {
  const v = value === undefined || value === null ? '' : String(value);
  const c = long ? el('textarea', { rows: Math.min(8, Math.max(2, Math.ceil(v.length / 70))) }) : el('input', { type: k.k === 'number' ? 'number' : 'text' });
  if (k.k === 'number') c.min = 0;
  c.value = v;
  c.dataset.kind = k.k;
  if (k.nullable) c.dataset.nullable = '1';
  return c;
}

function enumControl(value, k) {
  const s = el('select');
  s.dataset.kind = 'enum';
  if (k.nullable) { s.append(el('option', { value: '', text: '(mặc định)' })); s.dataset.nullable = '1'; }
  for (const o of k.options) s.append(el('option', { value: o.const, text: o.description ? `${o.const} — ${o.description}` : o.const }));
  s.value = value === undefined || value === null ? '' : value;
  if (!k.nullable && (value === undefined || value === null)) s.value = k.options[0].const;
  return s;
}

function itemTools(p, list, i, extra = []) {
  const move = d => () => { const a = getAt(list); const [x] = a.splice(i, 1); a.splice(i + d, 0, x); rebuild(pathStr([...list, i + d])); };
  return el('span', { class: 'item-tools' },
    el('button', { type: 'button', title: 'Lên', 'aria-label': `Chuyển ${pathStr(p)} lên`, disabled: i === 0, onclick: move(-1) }, '↑'),
    el('button', { type: 'button', title: 'Xuống', 'aria-label': `Chuyển ${pathStr(p)} xuống`, disabled: i === getAt(list).length - 1, onclick: move(1) }, '↓'),
    ...extra,
    el('button', { type: 'button', title: 'Xóa', 'aria-label': `Xóa ${pathStr(p)}`, onclick: () => {
      const a = getAt(list);
      a.splice(i, 1);
      // The focus goes to the item that took its place, else to the list's add button.
      rebuild(pathStr(a.length ? [...list, Math.min(i, a.length - 1)] : list));
    } }, '✕'));
}

// A field of any kind, at path p, of schema node `node`, named `key`.
function field(key, node, p) {
  const k = kind(node), value = getAt(p);
  if (k.k === 'string' || k.k === 'number') return row(key, node, p, textControl(key, value, k, LONG.has(key)));
  if (k.k === 'enum') return row(key, node, p, enumControl(value, k));
  if (k.k === 'bool') { const c = el('input', { type: 'checkbox' }); c.checked = !!value; c.dataset.kind = 'bool'; return row(key, node, p, c); }
  if (k.k === 'lines') return linesField(key, node, p, value);
  // A list of body items elsewhere than noi_dung (an annex's body, say): the same outline editor.
  if (k.k === 'array' && kind(k.items).k === 'muc') return fieldsetOf(key, node, p, outline(p, value, 0));
  if (k.k === 'array') return arrayField(key, node, p, k.items, value);
  if (k.k === 'object') return objectField(key, node, p, k, value);
  if (k.k === 'muc') return el('div', {}, outline([...p], [value], 0));
  const c = el('textarea', { rows: 3 }); c.value = value === undefined ? '' : JSON.stringify(value); c.dataset.kind = 'json';
  return row(key, node, p, c);
}

function fieldsetOf(key, node, p, body) {
  const f = pathStr(p), hid = 'h' + (++uid);
  return el('fieldset', { 'data-row': f, 'data-group': f, 'aria-describedby': describe(node) ? hid : null },
    el('legend', { text: label(key) }), helpEl(describe(node), hid), body);
}

// A string or a list of strings (lines, paragraphs): one box per line.
function linesField(key, node, p, value) {
  if (value === undefined || value === null || typeof value === 'string') {
    const c = textControl(key, value, { k: 'string', nullable: false }, LONG.has(key) || key === 'co_quan_ban_hanh' || key === 'co_quan_chu_quan' || key === 'chuc_vu');
    c.dataset.kind = 'lines';
    const r = row(key, node, p, c);
    r.append(el('div', { class: 'adds' }, el('button', { type: 'button', onclick: () => { setAt(p, [getAt(p) || '', '']); rebuild(pathStr([...p, 1])); } }, '+ Thêm dòng')));
    return r;
  }
  return arrayField(key, node, p, { type: 'string' }, value, true);
}

function arrayField(key, node, p, items, value, lines) {
  const list = Array.isArray(value) ? value : [];
  const box = el('div', { class: 'list' });
  const ik = kind(items);
  list.forEach((v, i) => {
    const ip = [...p, i];
    let body;
    if (ik.k === 'string' || ik.k === 'number') {
      const c = textControl(key, v, ik, LONG.has(key));
      c.setAttribute('data-field', pathStr(ip));
      c.setAttribute('aria-label', `${label(key)} thứ ${i + 1}`);
      body = el('div', { class: 'grow', 'data-row': pathStr(ip) }, c);
    } else if (ik.k === 'strOrObj' && typeof v === 'string') {
      const c = textControl(key, v, { k: 'string' }, false);
      c.setAttribute('data-field', pathStr(ip));
      c.setAttribute('aria-label', `${label(key)} thứ ${i + 1}`);
      body = el('div', { class: 'grow', 'data-row': pathStr(ip) }, c);
    } else {
      const on = ik.k === 'strOrObj' ? ik.obj : items;
      body = el('div', { class: 'grow sub' }, objectBody(on, ip, kind(on)));
    }
    box.append(el('div', { class: 'item' }, body, itemTools(ip, p, i)));
  });
  const add = (v, text) => el('button', { type: 'button', 'data-add-list': pathStr(p), onclick: () => {
    const a = Array.isArray(getAt(p)) ? getAt(p) : (getAt(p) ? [getAt(p)] : []);
    a.push(v()); setAt(p, a); rebuild(pathStr([...p, a.length - 1]));
  } }, text);
  const adds = el('div', { class: 'adds' });
  if (ik.k === 'strOrObj') {
    adds.append(add(() => '', `+ Thêm ${lines ? 'dòng' : label(key).toLowerCase()}`), add(() => fresh(ik.obj), '+ Thêm nhóm'));
  } else {
    adds.append(add(() => fresh(items), lines ? '+ Thêm dòng' : `+ Thêm ${label(key).toLowerCase()}`));
  }
  box.append(adds);
  return fieldsetOf(key, node, p, box);
}

function objectBody(node, p, k, skip = new Set()) {
  const r = resolve(node);
  const frag = el('div');
  for (const [key, sub] of Object.entries(r.properties || {})) {
    if (key === '$schema' || skip.has(key)) continue;
    frag.append(field(key, sub, [...p, key]));
  }
  return frag;
}

function objectField(key, node, p, k, value) {
  if (k.nullable && (value === undefined || value === null)) {
    return el('div', { class: 'row', 'data-row': pathStr(p) },
      el('button', { type: 'button', 'data-field': pathStr(p), onclick: () => { setAt(p, fresh(node)); rebuild(pathStr(p)); } }, `+ ${label(key)}`),
      helpEl(describe(node)));
  }
  const body = objectBody(k.node, p, k);
  if (k.nullable) body.append(el('div', { class: 'adds' }, el('button', { type: 'button', onclick: () => { setAt(p, undefined); rebuild(pathStr(p)); } }, `Bỏ ${label(key).toLowerCase()}`)));
  return fieldsetOf(key, node, p, body);
}

// ---------- the outline of the body (noi_dung, muc_con)
const MUC_NODE = () => S.defs.MucDayDu;
function levelName(node, depth) {
  if (typeof node === 'string') return 'Đoạn văn';
  if (node.kieu) return KIEU_NAMES[node.kieu] || node.kieu;
  return LEVEL_NAMES[Math.min(depth, LEVEL_NAMES.length - 1)];
}
function outline(listPath, list, depth) {
  const box = el('div', { class: 'outline', 'data-outline': pathStr(listPath) });
  (list || []).forEach((n, i) => box.append(nodeEl(listPath, i, n, depth)));
  box.append(el('div', { class: 'adds' },
    el('button', { type: 'button', 'data-add': pathStr(listPath), onclick: () => addNode(listPath, { tieu_de: '' }) }, depth === 0 ? '+ Thêm mục' : '+ Thêm mục con'),
    el('button', { type: 'button', 'data-add-doan': pathStr(listPath), onclick: () => addNode(listPath, '') }, '+ Thêm đoạn văn')));
  return box;
}
function addNode(listPath, v) {
  let a = getAt(listPath);
  if (!Array.isArray(a)) { a = []; setAt(listPath, a); }
  a.push(v);
  const p = [...listPath, a.length - 1];
  rebuild(pathStr(typeof v === 'string' ? p : [...p, 'tieu_de']));
}
function indent(listPath, i) {
  const a = getAt(listPath);
  if (i === 0) return;
  let prev = a[i - 1];
  if (typeof prev === 'string') { prev = { van_ban: prev }; a[i - 1] = prev; }
  if (!Array.isArray(prev.muc_con)) prev.muc_con = [];
  const [x] = a.splice(i, 1);
  prev.muc_con.push(x);
  rebuild(pathStr([...listPath, i - 1, 'muc_con', prev.muc_con.length - 1]));
}
function outdent(listPath, i) {
  // listPath = [..., parentIndex, 'muc_con']
  if (listPath.length < 3) return;
  const parentList = listPath.slice(0, -2), pi = listPath[listPath.length - 2];
  const [x] = getAt(listPath).splice(i, 1);
  getAt(parentList).splice(pi + 1, 0, x);
  rebuild(pathStr([...parentList, pi + 1]));
}
function nodeEl(listPath, i, n, depth) {
  const p = [...listPath, i], f = pathStr(p);
  const tools = itemTools(p, listPath, i, [
    el('button', { type: 'button', title: 'Lùi ra (lên một cấp)', 'aria-label': `Lùi ${f} ra một cấp`, disabled: listPath.length < 3, onclick: () => outdent(listPath, i) }, '⇤'),
    el('button', { type: 'button', title: 'Thụt vào (thành mục con của mục trên)', 'aria-label': `Thụt ${f} vào một cấp`, disabled: i === 0, onclick: () => indent(listPath, i) }, '⇥'),
  ]);
  const head = el('div', { class: 'node-head' }, el('span', { class: 'node-label', text: `${levelName(n, depth)} ${i + 1}` }));
  const box = el('div', { class: 'node', 'data-node': f, role: 'group', 'aria-label': `${levelName(n, depth)} ${i + 1}` }, head);
  if (typeof n === 'string') {
    const c = textControl('van_ban', n, { k: 'string' }, true);
    c.dataset.kind = 'string';
    c.setAttribute('data-field', f);
    c.setAttribute('aria-label', `Đoạn văn ${i + 1}`);
    head.append(el('button', { type: 'button', class: 'small', title: 'Thêm tiêu đề, nhiệm vụ hay mục con', onclick: () => { getAt(listPath)[i] = { van_ban: n }; rebuild(pathStr([...p, 'van_ban'])); } }, 'Mở rộng'), tools);
    box.append(el('div', { 'data-row': f }, c));
    return box;
  }
  const props = MUC_NODE().properties;
  const kc = enumControl(n.kieu, kind(props.kieu));
  kc.setAttribute('data-field', pathStr([...p, 'kieu']));
  kc.setAttribute('aria-label', 'Kiểu đánh số');
  kc.title = describe(props.kieu);
  head.append(kc, tools);
  box.append(field('tieu_de', props.tieu_de, [...p, 'tieu_de']));
  box.append(field('van_ban', props.van_ban, [...p, 'van_ban']));
  box.append(field('nhiem_vu', props.nhiem_vu, [...p, 'nhiem_vu']));
  const more = el('details', {}, el('summary', { text: 'Tùy chọn khác (số hiệu tự ghi, kiểu mục con, bảng nhiệm vụ)' }));
  for (const key of Object.keys(props)) {
    if (['kieu', 'tieu_de', 'van_ban', 'nhiem_vu', 'muc_con'].includes(key)) continue;
    more.append(field(key, props[key], [...p, key]));
  }
  if (n.so_hieu || n.kieu_muc_con || n.trinh_bay_nhiem_vu) more.open = true;
  box.append(more);
  box.append(el('div', { class: 'children' }, outline([...p, 'muc_con'], n.muc_con, depth + 1)));
  return box;
}

// ---------- the whole form
function renderForm() {
  const form = $('#form');
  const top = resolve(S.schema);
  const seen = new Set(['$schema']);
  form.replaceChildren();
  uid = 0;
  for (const [title, keys] of GROUPS) {
    const fs = el('fieldset', { class: 'group' }, el('legend', { text: title }));
    for (const key of keys) {
      if (!top.properties[key]) continue;
      seen.add(key);
      if (key === 'noi_dung') {
        fs.append(el('div', { class: 'row', 'data-row': 'noi_dung' }, el('div', { class: 'label', text: label(key) }), helpEl(describe(top.properties[key])),
          outline(['noi_dung'], getAt(['noi_dung']), 0)));
      } else fs.append(field(key, top.properties[key], [key]));
    }
    form.append(fs);
  }
  const rest = Object.keys(top.properties).filter(k => !seen.has(k));
  if (rest.length) {
    const fs = el('fieldset', { class: 'group' }, el('legend', { text: 'Khác' }));
    for (const key of rest) fs.append(field(key, top.properties[key], [key]));
    form.append(fs);
  }
  showFindings();
}

// Re-renders the form after a change of structure, keeping the scroll and putting the focus on `focus`.
function rebuild(focus) {
  const panels = $('.panels'), top = panels.scrollTop;
  renderForm();
  panels.scrollTop = top;
  if (focus) {
    const q = CSS.escape(focus);
    // The field itself, else the first field of its item, else the add button of its list (after a removal).
    const t = document.querySelector(`[data-field="${q}"]`) || document.querySelector(`[data-node="${q}"] [data-field]`)
      || document.querySelector(`#form [data-field^="${q}."], #form [data-field^="${q}["]`)
      || document.querySelector(`[data-add="${q}"]`) || document.querySelector(`[data-add-list="${q}"]`);
    if (t) { t.focus({ preventScroll: true }); t.scrollIntoView({ block: 'nearest' }); }
  }
  changed();
}

// An input in the form: the plan's value at its path.
function onInput(e) {
  const c = e.target;
  if (!c.dataset || !c.dataset.field || !c.dataset.kind || !c.closest('#form')) return;
  const p = parsePath(c.dataset.field);
  const k = c.dataset.kind;
  let v;
  if (k === 'bool') v = c.checked;
  else if (k === 'number') v = c.value.trim() === '' ? undefined : Number(c.value);
  else if (k === 'enum') v = c.value === '' ? undefined : c.value;
  else if (k === 'json') { try { v = JSON.parse(c.value); } catch { return; } }
  else v = c.value === '' && c.dataset.nullable ? undefined : c.value;
  setAt(p, v);
  S.inputAt = performance.now();
  changed();
}
function parsePath(s) {
  const out = [];
  for (const m of s.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

// ---------- preview and checks
function changed(edit = true) {
  if (edit) S.edited = true;
  S.dirty = true;
  clearTimeout(S.timer);
  S.timer = setTimeout(sendPreview, 25);
}
async function sendPreview() {
  if (S.inflight) return; // sent again when the one in flight returns
  S.inflight = true;
  S.dirty = false;
  const seq = ++S.seq, started = S.inputAt;
  const body = JSON.stringify(S.plan);
  try {
    const t0 = performance.now();
    const r = await fetch('/api/preview', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const v = await r.json();
    const t1 = performance.now();
    if (seq >= S.shownSeq) {
      S.shownSeq = seq;
      if (r.ok) { S.loadError = null; S.findings = v.phat_hien || []; if (v.trang) showPages(v.trang); }
      else { S.loadError = v.loi || { thong_bao: `lỗi ${r.status}` }; S.findings = v.phat_hien || []; }
      S.canDownload = r.ok && v.hop_le;
      $('#pages').classList.toggle('stale', !(r.ok && v.trang));
      $('#pages-note').textContent = r.ok && v.trang ? '' : 'Các trang chưa cập nhật: kế hoạch còn lỗi (xem danh sách bên trái). Sửa hết lỗi thì trang hiện lại ngay.';
      // The findings' elements are rebuilt only when the findings change (each rebuild lays out the form again).
      const key = JSON.stringify([S.loadError, S.findings, S.canDownload]);
      if (key !== S.findingsKey) { S.findingsKey = key; showFindings(); }
      S.renders++;
      // From the input event to the frame that shows the new pages, and where the time went.
      const t2 = performance.now();
      if (started) requestAnimationFrame(() => {
        const t3 = performance.now();
        S.lastLatency = t3 - started;
        S.latencies.push(S.lastLatency);
        S.breakdowns.push({ wait: t0 - started, request: t1 - t0, dom: t2 - t1, frame: t3 - t2 });
      });
    }
  } catch (err) {
    status(`Không gửi được kế hoạch tới máy chủ (${err.message}); máy chủ còn chạy không?`, true);
  } finally {
    S.inflight = false;
    if (S.dirty) sendPreview();
  }
}

// Replaces the pages that changed, in place (the scroll stays where it was).
function showPages(pages) {
  const box = $('#pages');
  pages.forEach((svg, i) => {
    const n = i + 1;
    let page = box.querySelector(`[data-page="${n}"]`);
    if (!page) { page = el('div', { class: 'page', 'data-page': n, role: 'img', 'aria-label': `Trang ${n}` }); box.append(page); }
    if (page._svg === svg) return;
    page._svg = svg;
    // Each page's style says `text{font-family:…}` with its own subset font: scoped to its page.
    page.innerHTML = svg.replace(/^<\?xml[^>]*>\s*/, '').replace(/(^|\n)text\{/, `$1[data-page="${n}"] text{`).replace(/\.b\{/, `[data-page="${n}"] .b{`).replace(/\.i\{/, `[data-page="${n}"] .i{`);
  });
  box.querySelectorAll('[data-page]').forEach(pg => { if (Number(pg.dataset.page) > pages.length) pg.remove(); });
}

const SEV = { loi: 'Lỗi', canh_bao: 'Cảnh báo', thong_tin: 'Thông tin' };
// The element a path's message goes to: the field itself, else its nearest enclosing field.
function target(path) {
  let p = path;
  while (p) {
    const f = document.querySelector(`#form [data-row="${CSS.escape(p)}"]`) || document.querySelector(`#form [data-node="${CSS.escape(p)}"]`);
    if (f) return f;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
  return null;
}
function focusField(path) {
  selectTab('form');
  const t = target(path);
  if (!t) return;
  const c = t.matches('[data-field]') ? t : (t.querySelector(`[data-field="${CSS.escape(path)}"]`) || t.querySelector('[data-field]'));
  t.scrollIntoView({ block: 'center' });
  if (c) c.focus({ preventScroll: true });
}
function findingText(f) {
  return [el('span', { class: 'sev-word', text: `${SEV[f.muc_do] || f.muc_do} ${f.ma}` }), ': ', f.thong_bao, ' ', el('span', { class: 'clause', text: `(theo ${f.can_cu})` })];
}
function showFindings() {
  document.querySelectorAll('#form .finding').forEach(x => x.remove());
  document.querySelectorAll('#form [aria-invalid]').forEach(x => x.removeAttribute('aria-invalid'));
  const list = $('#findings');
  list.replaceChildren();
  const all = [...S.findings];
  if (S.loadError) all.unshift({ ma: 'JSON', muc_do: 'loi', truong: S.loadError.truong || '', thong_bao: S.loadError.thong_bao, can_cu: 'lược đồ JSON của kế hoạch' });
  const errors = all.filter(f => f.muc_do === 'loi').length, warns = all.filter(f => f.muc_do === 'canh_bao').length;
  const sum = $('#check-summary');
  sum.className = 'check-summary ' + (errors ? 'bad' : 'ok');
  sum.textContent = errors || warns ? `Kiểm tra thể thức: ${errors} lỗi, ${warns} cảnh báo${errors ? ' — sửa hết lỗi thì mới tải được DOCX, PDF' : ''}` : 'Kiểm tra thể thức: không có lỗi';
  for (const f of all) {
    const where = f.truong ? (f.vi_tri ? `${f.vi_tri} · ${f.truong}` : f.truong) : 'cả kế hoạch';
    const li = el('li', { class: `sev-${f.muc_do}`, tabindex: 0, 'data-finding': f.ma, 'data-for': f.truong, role: 'button',
      onclick: () => focusField(f.truong), onkeydown: e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); focusField(f.truong); } } },
    el('span', { class: 'where', text: where + ' — ' }), ...findingText(f));
    list.append(li);
    const t = f.truong ? target(f.truong) : null;
    if (t) {
      const msg = el('div', { class: `finding sev-${f.muc_do}`, 'data-finding': f.ma, 'data-for': f.truong, role: 'note' }, ...findingText(f));
      const c = t.matches('[data-field]') ? t : t.querySelector(`[data-field="${CSS.escape(f.truong)}"]`) || null;
      if (c && f.muc_do === 'loi') c.setAttribute('aria-invalid', 'true');
      if (t.classList.contains('node')) t.querySelector('.node-head').after(msg);
      else if (t.tagName === 'FIELDSET') t.querySelector('legend').after(msg);
      else t.append(msg);
    }
  }
  for (const b of ['#btn-docx', '#btn-pdf']) {
    $(b).disabled = !S.canDownload;
    $(b).title = S.canDownload ? '' : 'Kế hoạch còn lỗi thể thức: sửa hết lỗi rồi tải';
  }
}

// ---------- tabs
function selectTab(name) {
  for (const t of ['form', 'json', 'batch']) {
    const on = t === name;
    $(`#tab-${t}`).setAttribute('aria-selected', on);
    $(`#tab-${t}`).tabIndex = on ? 0 : -1;
    $(`#panel-${t}`).hidden = !on;
  }
  if (name === 'json') { $('#json').value = JSON.stringify(S.plan, null, 2); $('#json-error').hidden = true; }
  if (name === 'form' && S.jsonChanged) { S.jsonChanged = false; renderForm(); }
}
function onJsonInput() {
  const text = $('#json').value, err = $('#json-error');
  try {
    const v = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('kế hoạch phải là một đối tượng JSON {…}');
    err.hidden = true;
    S.plan = v;
    S.jsonChanged = true;
    S.inputAt = performance.now();
    changed();
  } catch (e) {
    err.hidden = false;
    err.textContent = `JSON chưa đúng cú pháp: ${e.message}`;
  }
}

// ---------- files
function status(text, bad) { const s = $('#status'); s.textContent = text; s.classList.toggle('err', !!bad); }
function setPlan(plan, name, fromServer) {
  S.plan = plan;
  if (name) S.fileName = name.replace(/\.[^.]*$/, '').split(/[\\/]/).pop() || 'ke-hoach';
  if (!fromServer) S.file = null;
  $('#file-name').textContent = S.file ? `Tệp: ${S.file}` : (name ? `(chưa lưu) ${name}` : '');
  S.edited = false;
  renderForm();
  if ($('#panel-json').hidden === false) $('#json').value = JSON.stringify(S.plan, null, 2);
  changed(false);
}
function download(blob, name) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}
async function render(format) {
  const r = await fetch(`/api/render?format=${format}`, { method: 'POST', body: JSON.stringify(S.plan) });
  if (!r.ok) { const v = await r.json().catch(() => ({})); status(`Chưa tải được ${format.toUpperCase()}: ${(v.loi && v.loi.thong_bao) || r.status}`, true); return; }
  download(await r.blob(), `${S.fileName}.${format}`);
  status(`Đã tải ${S.fileName}.${format}`);
}
async function save() {
  const text = JSON.stringify(S.plan, null, 2) + '\n';
  if (S.file) {
    const r = await fetch('/api/save', { method: 'POST', body: text });
    const v = await r.json().catch(() => ({}));
    if (r.ok) { status(`Đã lưu vào ${v.da_luu}`); S.edited = false; } else status(`Chưa lưu được: ${(v.loi && v.loi.thong_bao) || r.status}`, true);
  } else {
    download(new Blob([text], { type: 'application/json' }), `${S.fileName}.json`);
    status(`Đã tải ${S.fileName}.json (máy chủ không mở tệp nào để lưu vào)`);
  }
}
async function newPlan() {
  if (S.edited && !confirm('Bỏ kế hoạch đang soạn để bắt đầu kế hoạch mới?')) return;
  const code = $('#new-regime').value;
  const r = await fetch(`/api/starter?the_thuc=${code}`);
  setPlan(JSON.parse(await r.text()), 'ke-hoach-moi.json', false);
  $('#review').hidden = true;
  status(`Kế hoạch mới theo thể thức ${code}: điền vào các chỗ […]`);
}
async function openJson(file) {
  const text = await file.text();
  try { setPlan(JSON.parse(text), file.name, false); $('#review').hidden = true; status(`Đã mở ${file.name}`); }
  catch (e) { selectTab('json'); $('#json').value = text; onJsonInput(); status(`${file.name} không phải JSON hợp lệ: ${e.message}`, true); }
}
async function importWord(file) {
  status(`Đang nhập ${file.name}…`);
  const r = await fetch('/api/import', { method: 'POST', body: file });
  const v = await r.json().catch(() => ({}));
  if (!r.ok) { status(`Không nhập được ${file.name}: ${(v.loi && v.loi.thong_bao) || r.status}`, true); return; }
  setPlan(JSON.parse(v.van_ban), file.name.replace(/\.[^.]*$/, '') + '.json', false);
  showReview(v.can_xem_lai || []);
  status(`Đã nhập ${file.name}: ${v.can_xem_lai.length} mục cần xem lại (danh sách bên trái).`);
}
const LOAI = { thieu: 'thiếu', da_sua: 'đã sửa', doan: 'đoán', bo_qua: 'bỏ qua' };
function showReview(notes) {
  const list = $('#review-list');
  list.replaceChildren();
  $('#review-count').textContent = `(${notes.length} mục)`;
  for (const n of notes) {
    const src = n.nguon ? ` — ${n.nguon.don_vi} ${n.nguon.so}: “${n.nguon.trich}”` : '';
    list.append(el('li', { tabindex: 0, role: 'button', 'data-review': n.loai, 'data-for': n.truong,
      onclick: () => focusField(n.truong), onkeydown: e => { if (e.key === 'Enter') focusField(n.truong); } },
    el('span', { class: 'sev-word', text: LOAI[n.loai] || n.loai }), ' ', el('span', { class: 'where', text: n.truong || 'cả kế hoạch' }), `: ${n.thong_bao}${src}`));
  }
  if (!notes.length) list.append(el('li', { class: 'empty', text: 'Không có gì cần xem lại: chương trình đọc được mọi phần của tệp.' }));
  $('#review').hidden = false;
}

// ---------- batch
async function runBatch() {
  const file = $('#batch-file').files[0];
  if (!file) { status('Hãy chọn tệp danh sách đơn vị (CSV hoặc JSON) trước.', true); $('#batch-file').focus(); return; }
  const body = JSON.stringify({ ke_hoach: S.plan, don_vi: await file.text(), ten_tep: file.name, dinh_dang: $('#batch-format').value, ban_xem: $('#batch-review').checked });
  const tbody = $('#batch-table tbody'), sum = $('#batch-summary'), links = $('#batch-links');
  tbody.replaceChildren(); links.replaceChildren(); $('#batch-table').hidden = false;
  sum.textContent = 'Đang xuất…';
  $('#batch-run').disabled = true;
  try {
    const r = await fetch('/api/batch/chay', { method: 'POST', body });
    if (!r.ok) { const v = await r.json().catch(() => ({})); sum.textContent = `Không xuất được: ${(v.loi && v.loi.thong_bao) || r.status}`; return; }
    const reader = r.body.getReader(), dec = new TextDecoder();
    let buf = '', total = null, done = 0;
    for (;;) {
      const { value, done: end } = await reader.read();
      if (value) buf += dec.decode(value, { stream: true });
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const v = JSON.parse(buf.slice(0, nl)); buf = buf.slice(nl + 1);
        if (v.bat_dau) { total = v.so_don_vi; }
        else if (v.so) {
          done++;
          const st = { da_xuat: 'đã xuất', loi: 'lỗi', chua_xuat: 'chưa xuất' }[v.trang_thai] || v.trang_thai;
          tbody.append(el('tr', { class: v.trang_thai, 'data-unit': v.ma },
            el('td', { text: v.so }), el('td', { text: v.ma }), el('td', { text: st + (v.so_canh_bao ? ` (${v.so_canh_bao} cảnh báo)` : '') }),
            el('td', { text: v.so_trang ?? '' }), el('td', { text: v.loi.length ? v.loi.join('; ') : v.tep.join(', ') })));
          sum.textContent = `Đang xuất: ${done}/${total ?? '?'} đơn vị`;
        } else if (v.xong) {
          const t = v.tong;
          sum.textContent = `Xong: ${t.da_xuat}/${t.so_don_vi} đơn vị đã xuất, ${t.loi} lỗi, ${t.so_tep} tệp` + (v.loi_tep ? ` — ${v.loi_tep}` : '');
          links.append(el('a', { href: `/api/batch/${v.lan}/zip`, download: 'ket-qua.zip' }, 'Tải ZIP'),
            el('a', { href: `/api/batch/${v.lan}/bao-cao`, download: 'bao-cao.json' }, 'Tải báo cáo'));
          if (v.ban_xem) links.append(el('a', { href: `/api/batch/${v.lan}/ban-xem`, download: 'ban-xem.pdf' }, `Tải bản xem PDF (${v.so_trang_ban_xem} trang)`));
        } else if (v.loi) {
          sum.textContent = `Không xuất được: ${v.loi.truong ? v.loi.truong + ': ' : ''}${v.loi.thong_bao}`;
        }
      }
      if (end) break;
    }
  } finally { $('#batch-run').disabled = false; }
}

// ---------- start
async function start() {
  const [schema, file] = await Promise.all([fetch('/api/schema').then(r => r.json()), fetch('/api/plan').then(r => r.json())]);
  S.schema = schema; S.defs = schema.$defs || {};
  document.addEventListener('input', onInput);
  $('#form').addEventListener('submit', e => e.preventDefault());
  document.addEventListener('change', e => { if (e.target.tagName === 'SELECT' || e.target.type === 'checkbox') onInput(e); });
  $('#json').addEventListener('input', onJsonInput);
  for (const t of ['form', 'json', 'batch']) $(`#tab-${t}`).addEventListener('click', () => selectTab(t));
  $('.tabs').addEventListener('keydown', e => {
    const order = ['form', 'json', 'batch'];
    const focused = order.indexOf((document.activeElement.id || '').replace('tab-', ''));
    const cur = focused >= 0 ? focused : order.findIndex(t => $(`#tab-${t}`).getAttribute('aria-selected') === 'true');
    const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (d) { const n = order[(cur + d + 3) % 3]; selectTab(n); $(`#tab-${n}`).focus(); }
  });
  $('#btn-new').addEventListener('click', newPlan);
  $('#btn-open').addEventListener('click', () => $('#file-json').click());
  $('#btn-word').addEventListener('click', () => $('#file-word').click());
  $('#file-json').addEventListener('change', e => { if (e.target.files[0]) openJson(e.target.files[0]); e.target.value = ''; });
  $('#file-word').addEventListener('change', e => { if (e.target.files[0]) importWord(e.target.files[0]); e.target.value = ''; });
  $('#btn-save').addEventListener('click', save);
  $('#btn-docx').addEventListener('click', () => render('docx'));
  $('#btn-pdf').addEventListener('click', () => render('pdf'));
  $('#batch-run').addEventListener('click', runBatch);
  $('#batch-choose').addEventListener('click', () => $('#batch-file').click());
  $('#batch-file').addEventListener('change', e => { const f = e.target.files[0]; $('#batch-file-name').textContent = f ? f.name : 'chưa chọn tệp'; });
  $('#review-close').addEventListener('click', () => { $('#review').hidden = true; });
  document.addEventListener('keydown', e => { if ((e.ctrlKey || e.metaKey) && e.key === 's') { e.preventDefault(); save(); } });
  if (file.tep) {
    S.file = file.tep;
    if (file.van_ban) {
      try { setPlan(JSON.parse(file.van_ban), file.tep, true); }
      catch (e) { setPlan({}, file.tep, true); selectTab('json'); $('#json').value = file.van_ban; onJsonInput(); }
    } else {
      const r = await fetch('/api/starter?the_thuc=nd30');
      setPlan(JSON.parse(await r.text()), file.tep, true);
      status(`${file.tep} chưa có: bắt đầu từ kế hoạch mẫu; nút Lưu sẽ tạo tệp này.`);
    }
  } else {
    const r = await fetch('/api/starter?the_thuc=nd30');
    setPlan(JSON.parse(await r.text()), 'ke-hoach.json', false);
  }
}
start().catch(e => status(`Trang không khởi động được: ${e.message}`, true));
