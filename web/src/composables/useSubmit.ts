// The one way forms save: a busy flag for the button, the server's field reasons next to the fields they
// name (in Chinese, utils/reasons.ts), and any other failure as a message (or, with `inline`, in `error`
// for the form to show). `submit(action)` clears the old errors, runs the action and says whether it worked.
import { reactive, ref } from 'vue'
import { ApiError } from '../api/request'
import { describeError } from '../utils/errors'
import { clearFieldErrors, showFormError } from '../utils/form-errors'

export interface SubmitOptions {
  // Shown as a message as well when the errors are on fields that may be out of sight.
  summary?: string
  // A failure that names no field goes to `error` instead of a message.
  inline?: boolean
}

export function useSubmit(options: SubmitOptions = {}) {
  const busy = ref(false)
  const errors = reactive<Record<string, string>>({})
  const error = ref('')

  function clear() {
    clearFieldErrors(errors)
    error.value = ''
  }

  async function submit(action: () => Promise<unknown>): Promise<boolean> {
    clear()
    busy.value = true
    try {
      await action()
      return true
    } catch (e) {
      if (options.inline && !(e instanceof ApiError && e.details.length)) error.value = describeError(e)
      else showFormError(e, errors, options.summary)
      return false
    } finally {
      busy.value = false
    }
  }

  return { busy, errors, error, clear, submit }
}
