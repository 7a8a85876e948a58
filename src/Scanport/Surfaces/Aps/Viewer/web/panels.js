// The object tree beside the canvas and the properties of the selected object, built with DOM calls (no HTML strings).

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** Renders the Model Derivative object tree as nested lists of buttons; a click calls onSelect(objectid). */
export function renderTree(container, objects, onSelect) {
  const list = (items) => {
    const ul = element('ul', undefined, { role: 'group' });
    for (const item of items) {
      const li = element('li', undefined, { role: 'treeitem' });
      li.append(element('button', item.name, { type: 'button', 'data-objectid': String(item.objectid), 'aria-selected': 'false' }));
      if (item.objects?.length) li.append(list(item.objects));
      ul.append(li);
    }
    return ul;
  };
  const root = list(objects);
  root.setAttribute('role', 'tree');
  container.replaceChildren(root);
  container.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-objectid]');
    if (button) onSelect(Number(button.dataset.objectid));
  });
}

/** Marks the tree's node of the object (or none) as selected and brings it into view. */
export function markInTree(container, objectId) {
  for (const button of container.querySelectorAll('button[aria-selected="true"]')) button.setAttribute('aria-selected', 'false');
  const button = objectId == null ? null : container.querySelector(`button[data-objectid="${objectId}"]`);
  if (button) {
    button.setAttribute('aria-selected', 'true');
    button.scrollIntoView({ block: 'nearest' });
  }
}

/** Counts the objects of a tree (every node, the root included). */
export function countObjects(objects) {
  return objects.reduce((n, o) => n + 1 + countObjects(o.objects ?? []), 0);
}

/** Shows one object's properties as Model Derivative answers them: name, externalId and named groups. */
export function renderProperties(container, item, notice = null) {
  if (!item) {
    container.replaceChildren(element('p', 'Click an object to see its properties.', { class: 'hint' }));
    return;
  }
  const parts = [element('h2', item.name, { 'data-objectid': String(item.objectid) })];
  const identity = element('dl');
  identity.append(element('dt', 'objectid'), element('dd', String(item.objectid)));
  if (item.externalId) identity.append(element('dt', 'externalId'), element('dd', item.externalId, { 'data-field': 'externalId' }));
  parts.push(identity);
  if (notice) parts.push(element('p', notice, { class: 'hint' }));
  for (const [group, values] of Object.entries(item.properties ?? {})) {
    parts.push(element('h3', group));
    const dl = element('dl');
    for (const [name, value] of Object.entries(values ?? {})) {
      dl.append(element('dt', name), element('dd', typeof value === 'object' ? JSON.stringify(value) : String(value)));
    }
    parts.push(dl);
  }
  container.replaceChildren(...parts);
}
