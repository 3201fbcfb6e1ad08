import { validatePitchTemplate } from '@pitchline/core/pitch-template';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { type FieldPath, FormProvider, useForm, useWatch } from 'react-hook-form';
import { AllocationField } from '../components/experiment-editor/AllocationField';
import { AnalysisFields, GuardrailFields } from '../components/experiment-editor/AnalysisFields';
import { BasicsFields } from '../components/experiment-editor/BasicsFields';
import {
  type ExperimentFormValues,
  experimentEdit,
  experimentFormResolver,
  formValuesOf,
  isBlankPitch,
  NEW_EXPERIMENT,
  newExperiment,
} from '../components/experiment-editor/experiment-form';
import { ScopeFields } from '../components/experiment-editor/ScopeFields';
import { UneditedFieldProblems } from '../components/experiment-editor/UneditedFieldProblems';
import { VariantsFields } from '../components/experiment-editor/VariantsFields';
import { Link } from '../components/Link';
import { ErrorState, FormError, Loading } from '../components/states';
import { ApiError, api, ok } from '../lib/api';
import { experimentKeys, useExperiment } from '../lib/experiments';
import { plainIssue } from '../lib/issue-words';
import { navigate } from '../lib/router';
import { canWrite, type Me, useMe } from '../lib/session';
import { useTitle } from '../lib/title';
import { useUnsavedChangesGuard } from '../lib/unsaved';
import NotFound from './NotFound';

export default function ExperimentEditor({ id }: { id?: string }) {
  const me = useMe();
  if (!canWrite(me)) return <ErrorState error={new Error('Only owners can create or edit experiments.')} />;
  return id ? <EditExisting id={id} me={me} /> : <Editor me={me} initial={NEW_EXPERIMENT} />;
}

function EditExisting({ id, me }: { id: string; me: Me }) {
  const query = useExperiment(id);
  if (query.isPending) return <Loading />;
  // A mistyped or deleted experiment's link: the not-found page, not "Something went wrong".
  if (query.error instanceof ApiError && query.error.status === 404) return <NotFound />;
  if (query.error) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  return (
    <Editor
      me={me}
      initial={formValuesOf(query.data.experiment)}
      id={id}
      status={query.data.experiment.status}
    />
  );
}

function Editor({
  me,
  initial,
  id,
  status,
}: {
  me: Me;
  initial: ExperimentFormValues;
  id?: string;
  status?: string;
}) {
  // Problems show when a save is tried, beside their fields, and nothing is sent. From then on every
  // change re-checks the whole form, so a problem between fields (two variants with one key) clears
  // when either field is fixed, not only the one last edited.
  useTitle(id ? `Edit ${initial.name}` : 'New experiment');
  const form = useForm<ExperimentFormValues>({ defaultValues: initial, resolver: experimentFormResolver });
  const { isSubmitted } = form.formState;
  useEffect(() => {
    if (!isSubmitted) return;
    const subscription = form.watch(() => void form.trigger());
    return () => subscription.unsubscribe();
  }, [form, isSubmitted]);
  // While running only names, weights and templates may change (core's planEdit): lock the rest.
  const locked = status === 'running';
  const queryClient = useQueryClient();

  const save = useMutation({
    mutationFn: async (values: ExperimentFormValues) => {
      if (id) return ok(api.experiments[':id'].$patch({ param: { id }, json: experimentEdit(values) }));
      return ok(api.experiments.$post({ json: newExperiment(values) }));
    },
    onSuccess: async (body) => {
      await queryClient.invalidateQueries({ queryKey: experimentKeys.all });
      guard.release();
      navigate(`/experiments/${body.experiment.id}`);
    },
    // The server's refusals land beside their fields too, in the same plain words as the summary.
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      for (const issue of error.body.issues ?? []) {
        if (issue.path.length === 0) continue;
        form.setError(issue.path.join('.') as FieldPath<ExperimentFormValues>, {
          type: 'server',
          message: plainIssue(issue),
        });
      }
    },
  });
  const guard = useUnsavedChangesGuard(form.formState.isDirty && !save.isSuccess);

  const variants = useWatch({ control: form.control, name: 'variants' });
  const checks = useMemo(() => variants.map((v) => validatePitchTemplate(v.template)), [variants]);
  const invalid = checks.some((c) => !c.ok) || variants.some((v) => isBlankPitch(v.template));

  return (
    <FormProvider {...form}>
      <form className="editor" onSubmit={form.handleSubmit((values) => save.mutate(values))} noValidate>
        <p>
          <Link to={id ? `/experiments/${id}` : '/experiments'}>← Back</Link>
        </p>
        <h1>{id ? `Edit ${initial.name}` : 'New experiment'}</h1>
        {status === 'running' ? (
          <p className="warning">
            This experiment is running: only its name, variant names, weights and pitches can change (a
            changed pitch is recorded as a new version of its variant).
          </p>
        ) : null}
        <BasicsFields isNew={!id} locked={locked} />
        <div className="grid-3">
          <ScopeFields locked={locked} />
          <AnalysisFields locked={locked} />
          <AllocationField locked={locked} />
        </div>
        <GuardrailFields locked={locked} />

        <VariantsFields checks={checks} locked={locked} me={me} />

        <UneditedFieldProblems />
        {save.error ? <FormError error={save.error} whole="experiment" /> : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={invalid || save.isPending}>
            {save.isPending ? 'Saving…' : id ? 'Save changes' : 'Create experiment'}
          </button>
        </div>
      </form>
    </FormProvider>
  );
}
