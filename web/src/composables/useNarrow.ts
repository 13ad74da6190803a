// Whether the window is phone-narrow (768 px or less): the console then shows cards for tables, top-aligned
// labels and near-full-width dialogs. Follows the window as it is resized or turned.
import { onBeforeUnmount, onMounted, readonly, ref, type Ref } from 'vue'

export const NARROW_MAX_PX = 768

export const isNarrow = (width: number) => width <= NARROW_MAX_PX

export function useNarrow(): Readonly<Ref<boolean>> {
  const narrow = ref(isNarrow(window.innerWidth))
  const update = () => {
    narrow.value = isNarrow(window.innerWidth)
  }
  onMounted(() => {
    update()
    window.addEventListener('resize', update)
  })
  onBeforeUnmount(() => window.removeEventListener('resize', update))
  return readonly(narrow)
}
